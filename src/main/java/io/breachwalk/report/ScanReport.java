package io.breachwalk.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.ProviderTraits;
import io.breachwalk.model.RotationItem;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one scan found, in report order: what report.json holds and what every other output is made from.
 * `breachwalk tickets REPORT.json` reads it back, so it round-trips through Jackson (reports written before `scan`
 * existed have none). {@code evidence} maps each job
 * row's key (`provider|host|project|run_id|run_attempt|job_id`) to the sha256 names of the files under
 * `evidence/` its verdict rests on.
 */
public record ScanReport(
        @JsonProperty("tool") String tool,
        @JsonProperty("version") String version,
        @JsonProperty("scan") @JsonInclude(JsonInclude.Include.NON_NULL) ScanInfo scan,
        @JsonProperty("playbook") PlaybookInfo playbook,
        @JsonProperty("window") WindowInfo window,
        @JsonProperty("summary") Summary summary,
        @JsonProperty("jobs") List<JobFinding> jobs,
        @JsonProperty("exposures") List<Exposure> exposures,
        @JsonProperty("rotation") List<RotationItem> rotation,
        @JsonProperty("coverage") List<Gap> coverage,
        @JsonProperty("evidence") Map<String, List<String>> evidence,
        @JsonIgnore Map<String, ProviderTraits> traits) {

    public ScanReport {
        evidence = evidence == null ? Map.of() : evidence; // reports written before evidence existed
        traits = traits == null ? Map.of() : Map.copyOf(traits);
    }

    /** Jackson's and the writers' constructor: the providers' words are added by {@link #withTraits}. */
    public ScanReport(String tool, String version, ScanInfo scan, PlaybookInfo playbook, WindowInfo window,
                      Summary summary, List<JobFinding> jobs, List<Exposure> exposures, List<RotationItem> rotation,
                      List<Gap> coverage, Map<String, List<String>> evidence) {
        this(tool, version, scan, playbook, window, summary, jobs, exposures, rotation, coverage, evidence, Map.of());
    }

    /**
     * The same findings with the providers' words (change times, account, what to grant): given by the providers in
     * `cli`, never stored in report.json, so that the writers name no provider.
     */
    public ScanReport withTraits(Map<String, ProviderTraits> providerTraits) {
        return new ScanReport(tool, version, scan, playbook, window, summary, jobs, exposures, rotation, coverage,
                evidence, providerTraits);
    }

    /** How the reports speak of this provider's secrets; generic words for one no provider described. */
    public ProviderTraits traits(String provider) {
        return traits.getOrDefault(provider, ProviderTraits.generic(provider));
    }

    public ScanReport(String tool, String version, PlaybookInfo playbook, WindowInfo window, Summary summary,
                      List<JobFinding> jobs, List<Exposure> exposures, List<RotationItem> rotation, List<Gap> coverage) {
        this(tool, version, null, playbook, window, summary, jobs, exposures, rotation, coverage, Map.of());
    }

    public ScanReport(String tool, String version, PlaybookInfo playbook, WindowInfo window, Summary summary,
                      List<JobFinding> jobs, List<Exposure> exposures, List<RotationItem> rotation, List<Gap> coverage,
                      Map<String, List<String>> evidence) {
        this(tool, version, null, playbook, window, summary, jobs, exposures, rotation, coverage, evidence);
    }

    /** The same findings, stamped with when, what and as whom they were scanned. */
    public ScanReport withScan(ScanInfo info) {
        return new ScanReport(tool, version, info, playbook, window, summary, jobs, exposures, rotation, coverage,
                evidence, traits);
    }

    /**
     * The same findings from a scan in which these providers could not run at all (exit status 2): the summary says
     * so instead of reading as an ordinary incomplete scan.
     */
    public ScanReport withStopped(List<String> messages) {
        Summary s = summary;
        return new ScanReport(tool, version, scan, playbook, window, new Summary(s.examined(), s.jobsRan(),
                s.jobsNotRun(), s.jobsUnknown(), s.projectsAffected(), s.secrets(), s.secretsByPriority(),
                s.secretsByStatus(), s.gaps(), s.blockingGaps(), s.apiRequests(), STOPPED_EXIT, messages), jobs,
                exposures, rotation, coverage, evidence, traits);
    }

    /** The exit status of a scan in which a provider could not run (DESIGN 5.1: a configuration error). */
    public static final int STOPPED_EXIT = 2;

    /**
     * When, what and as whom: {@code targets} as given on the command line (URLs without any user info),
     * {@code options} that change what is found, {@code identity} the account each provider's credential check
     * resolved (GitHub login, Jenkins user), keyed by provider; {@code budgets} what each provider's walk spent of
     * its API budgets (GitHub: REST requests, GraphQL queries and points, points left), absent when none says.
     * Never a token.
     */
    public record ScanInfo(@JsonProperty("generated_at") Instant generatedAt,
                           @JsonProperty("targets") Map<String, Object> targets,
                           @JsonProperty("options") Map<String, Object> options,
                           @JsonProperty("identity") Map<String, String> identity,
                           @JsonProperty("budgets") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                           Map<String, Map<String, Object>> budgets) {
        public ScanInfo {
            targets = targets == null ? Map.of() : targets;
            options = options == null ? Map.of() : options;
            identity = identity == null ? Map.of() : identity;
            budgets = budgets == null ? Map.of() : budgets;
        }

        public ScanInfo(Instant generatedAt, Map<String, Object> targets, Map<String, Object> options,
                        Map<String, String> identity) {
            this(generatedAt, targets, options, identity, Map.of());
        }
    }

    public record PlaybookInfo(@JsonProperty("id") String id, @JsonProperty("title") String title,
                               @JsonProperty("source") String source) {
    }

    public record WindowInfo(@JsonProperty("since") Instant since, @JsonProperty("until") Instant until) {
    }

    /**
     * Headline numbers. {@code examined} is per provider: projects, runs and jobs examined and API requests made.
     */
    public record Summary(
            @JsonProperty("examined") Map<String, Examined> examined,
            @JsonProperty("jobs_ran") long jobsRan,
            @JsonProperty("jobs_not_run") long jobsNotRun,
            @JsonProperty("jobs_unknown") long jobsUnknown,
            @JsonProperty("projects_affected") long projectsAffected,
            @JsonProperty("secrets") long secrets,
            @JsonProperty("secrets_by_priority") Map<String, Long> secretsByPriority,
            @JsonProperty("secrets_by_status") Map<String, Long> secretsByStatus,
            @JsonProperty("gaps") long gaps,
            @JsonProperty("blocking_gaps") long blockingGaps,
            @JsonProperty("api_requests") long apiRequests,
            @JsonProperty("exit_status") int exitStatus,
            @JsonProperty("stopped") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> stopped) {

        public Summary {
            stopped = stopped == null ? List.of() : List.copyOf(stopped); // reports from before `stopped`
        }

        public Summary(Map<String, Examined> examined, long jobsRan, long jobsNotRun, long jobsUnknown,
                       long projectsAffected, long secrets, Map<String, Long> secretsByPriority,
                       Map<String, Long> secretsByStatus, long gaps, long blockingGaps, long apiRequests,
                       int exitStatus) {
            this(examined, jobsRan, jobsNotRun, jobsUnknown, projectsAffected, secrets, secretsByPriority,
                    secretsByStatus, gaps, blockingGaps, apiRequests, exitStatus, List.of());
        }
    }

    public record Examined(@JsonProperty("projects") long projects, @JsonProperty("runs") long runs,
                           @JsonProperty("jobs") long jobs, @JsonProperty("api_requests") long apiRequests) {
    }
}
