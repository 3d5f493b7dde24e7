package io.breachwalk.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.RotationItem;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one scan found, in report order: what report.json holds and what every other output is made from.
 * `breachwalk tickets REPORT.json` reads it back, so it round-trips through Jackson. {@code evidence} maps each job
 * row's key (`provider|host|project|run_id|run_attempt|job_id`) to the sha256 names of the files under
 * `evidence/` its verdict rests on.
 */
public record ScanReport(
        @JsonProperty("tool") String tool,
        @JsonProperty("version") String version,
        @JsonProperty("playbook") PlaybookInfo playbook,
        @JsonProperty("window") WindowInfo window,
        @JsonProperty("summary") Summary summary,
        @JsonProperty("jobs") List<JobFinding> jobs,
        @JsonProperty("exposures") List<Exposure> exposures,
        @JsonProperty("rotation") List<RotationItem> rotation,
        @JsonProperty("coverage") List<Gap> coverage,
        @JsonProperty("evidence") Map<String, List<String>> evidence) {

    public ScanReport {
        evidence = evidence == null ? Map.of() : evidence; // reports written before evidence existed
    }

    public ScanReport(String tool, String version, PlaybookInfo playbook, WindowInfo window, Summary summary,
                      List<JobFinding> jobs, List<Exposure> exposures, List<RotationItem> rotation, List<Gap> coverage) {
        this(tool, version, playbook, window, summary, jobs, exposures, rotation, coverage, Map.of());
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
            @JsonProperty("exit_status") int exitStatus) {
    }

    public record Examined(@JsonProperty("projects") long projects, @JsonProperty("runs") long runs,
                           @JsonProperty("jobs") long jobs, @JsonProperty("api_requests") long apiRequests) {
    }
}
