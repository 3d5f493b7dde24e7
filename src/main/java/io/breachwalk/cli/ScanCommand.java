package io.breachwalk.cli;

import io.breachwalk.source.RetryPolicy;
import io.breachwalk.source.ScanOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "scan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Walk CI build history in the incident window and report the jobs that ran the compromised "
                + "step, the secrets they exposed, what to rotate and what could not be checked.", "",
                "Credentials come from the environment: GITHUB_TOKEN (or GH_TOKEN); JENKINS_USER and "
                        + "JENKINS_TOKEN."},
        footer = {"", "Example:", "  export GITHUB_TOKEN=...",
                "  breachwalk scan --github-org acme --jenkins-url https://ci.example.com/ --out incident-2021", "",
                "Exit status: 0 complete, nothing to rotate or review; 1 complete, at least one ROTATE, REVIEW or "
                        + "MISSING row; 2 usage or configuration error; 3 incomplete: blocking coverage gaps (wins over "
                        + "1); 130 interrupted (run the same command again to resume)."})
final class ScanCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Mixin
    IncidentOptions incident = new IncidentOptions();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "breachwalk-out",
            description = {"output folder (default: ./${DEFAULT-VALUE})", "a folder it creates is owner-only"})
    Path out;

    @Option(names = "--force", description = "replace the finished report an --out folder already holds (its "
            + "evidence/ too); without it such a folder is refused")
    boolean force;

    @Option(names = "--github-org", paramLabel = "ORG", description = "scan every repository of this organization (repeatable)")
    List<String> githubOrgs = new ArrayList<>();

    @Option(names = "--github-repo", paramLabel = "OWNER/REPO", description = "scan this repository (repeatable)")
    List<String> githubRepos = new ArrayList<>();

    @Option(names = "--github-url", paramLabel = "URL", defaultValue = ScanOptions.DEFAULT_GITHUB_URL,
            description = "GitHub API URL; GitHub Enterprise Server: https://HOST/api/v3 (default: ${DEFAULT-VALUE})")
    String githubUrl;

    @Option(names = "--jenkins-url", paramLabel = "URL", description = "Jenkins URL, e.g. https://ci.example.com/")
    String jenkinsUrl;

    @Option(names = "--jenkins-job", paramLabel = "PATH", description = "limit the Jenkins walk to this folder or job, e.g. team/app (repeatable)")
    List<String> jenkinsJobs = new ArrayList<>();

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4",
            description = "parallel API requests per provider (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--max-wait", paramLabel = "SECONDS", defaultValue = "3600",
            description = "longest wait for one rate-limited request (a GitHub reset can take an hour); longer "
                    + "becomes a coverage gap (default: ${DEFAULT-VALUE})")
    long maxWait;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "6",
            description = "attempts per request before it becomes a coverage gap (default: ${DEFAULT-VALUE})")
    int retries;

    /** Tests run real waits at a fraction of their length; never needed in use. */
    @Option(names = "--time-scale", hidden = true, defaultValue = "1")
    double timeScale;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Option(names = "--offline", paramLabel = "EVIDENCE_DIR",
            description = "re-run detection and exposure from the evidence folder of an earlier scan (OUT/evidence), "
                    + "e.g. with a corrected --playbook; makes no request and needs no credentials")
    Path offline;

    @Override
    public Integer call() {
        if (offline != null) {
            if (!githubOrgs.isEmpty() || !githubRepos.isEmpty() || jenkinsUrl != null || !jenkinsJobs.isEmpty()) {
                main.err.println("breachwalk: --offline re-analyses stored evidence; it takes no --github-*/--jenkins-* targets");
                return Exits.USAGE;
            }
            return new ScanRun(main.env, main.out, main.err, quiet).force(force)
                    .runOffline(incident.playbook, incident.since, incident.until, offline, out, Math.max(1, Math.min(concurrency, 8)));
        }
        return scan(main.env, null, out, force, quiet);
    }

    /**
     * The online scan of the targets parsed into this command, with credentials from {@code env}. `demo` calls it
     * with its simulators' environment and {@code estateKey}, what identifies its estate for resuming (null: the
     * targets do); {@code out}, {@code force} and {@code quiet} are the demo's own options.
     */
    int scan(Map<String, String> env, String estateKey, Path out, boolean force, boolean quiet) {
        ScanOptions options = new ScanOptions(githubOrgs, githubRepos, githubUrl, jenkinsUrl, jenkinsJobs,
                concurrency, out);
        if (options.githubOrgs().isEmpty() && options.githubRepos().isEmpty() && options.jenkinsUrl() == null) {
            main.err.println("breachwalk: nothing to scan: give --github-org, --github-repo or --jenkins-url "
                    + "(or try `breachwalk demo`)");
            return Exits.USAGE;
        }
        if (concurrency < 1 || concurrency > ScanOptions.MAX_CONCURRENCY) {
            main.err.println("breachwalk: --concurrency must be between 1 and " + ScanOptions.MAX_CONCURRENCY
                    + " (more is impolite to the CI server and trips secondary rate limits)");
            return Exits.USAGE;
        }
        if (retries < 1) {
            main.err.println("breachwalk: --retries must be at least 1 (the attempts per request, default 6), got "
                    + retries);
            return Exits.USAGE;
        }
        if (maxWait < 0) {
            main.err.println("breachwalk: --max-wait must be 0 or more seconds (default 3600), got " + maxWait);
            return Exits.USAGE;
        }
        if (timeScale < 0) {
            main.err.println("breachwalk: --time-scale must not be negative, got " + timeScale);
            return Exits.USAGE;
        }
        if (jenkinsUrl != null && jenkinsUrl.trim().matches("(?i)https?://\\S+") && blank(env, "JENKINS_USER")
                && blank(env, "JENKINS_TOKEN")) {
            main.err.println("breachwalk: warning: JENKINS_USER and JENKINS_TOKEN are not set: walking "
                    + jenkinsUrl.trim() + " anonymously sees only what anonymous users may read");
        }
        RetryPolicy policy = RetryPolicy.defaults().withMaxAttempts(retries).withMaxWait(Duration.ofSeconds(maxWait))
                .withTimeScale(timeScale);
        return new ScanRun(env, main.out, main.err, quiet).retryPolicy(policy).force(force).estateKey(estateKey)
                .run(incident.playbook, incident.since, incident.until, options);
    }

    private static boolean blank(Map<String, String> env, String variable) {
        String v = env.get(variable);
        return v == null || v.isBlank();
    }
}
