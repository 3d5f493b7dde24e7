package io.breachwalk.cli;

import io.breachwalk.source.Provider;
import io.breachwalk.source.RetryPolicy;
import io.breachwalk.source.ScanOptions;
import picocli.CommandLine;
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
                "Credentials come from the environment: " + ScanCommand.CREDENTIALS + "."},
        footer = {"", "Example:", "  export GITHUB_TOKEN=...",
                "  breachwalk scan --github-org acme --jenkins-url https://ci.example.com/ --out incident-2021", "",
                "Exit status: 0 complete, nothing to rotate or review; 1 complete, at least one ROTATE, REVIEW or "
                        + "MISSING row; 2 usage or configuration error; 3 incomplete: blocking coverage gaps (wins over "
                        + "1); 130 interrupted (run the same command again to resume)."})
final class ScanCommand implements Callable<Integer> {

    /** Replaced in the description by each provider's credential help (see {@link #addProviders}). */
    static final String CREDENTIALS = "<each provider's credential variables>";

    /** The providers, each holding its own flags (a picocli mixin added by {@link #addProviders}). */
    private List<Provider> providers = List.of();

    /**
     * Adds each provider's flags to this command line's `scan` and says where their credentials come from: the
     * one place the command learns which providers exist.
     */
    static void addProviders(CommandLine scan, List<Provider> providers) {
        ((ScanCommand) scan.getCommand()).providers = List.copyOf(providers);
        for (Provider p : providers) {
            scan.addMixin(p.name(), p.options());
        }
        String credentials = String.join("; ", providers.stream().map(Provider::credentialHelp).toList());
        String[] description = scan.getCommandSpec().usageMessage().description();
        for (int i = 0; i < description.length; i++) {
            description[i] = description[i].replace(CREDENTIALS, credentials);
        }
        scan.getCommandSpec().usageMessage().description(description);
    }

    @ParentCommand
    Main main;

    @Mixin
    IncidentOptions incident = new IncidentOptions();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "breachwalk-out", order = 1,
            description = {"output folder (default: ./${DEFAULT-VALUE})", "a folder it creates is owner-only"})
    Path out;

    @Option(names = "--force", order = 2, description = "replace the finished report an --out folder already holds (its "
            + "evidence/ too); without it such a folder is refused")
    boolean force;

    @Option(names = "--concurrency", order = 50, paramLabel = "N", defaultValue = "4",
            description = "parallel API requests per provider (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--max-wait", order = 51, paramLabel = "SECONDS", defaultValue = "3600",
            description = "longest wait for one rate-limited request (a GitHub reset can take an hour); longer "
                    + "becomes a coverage gap (default: ${DEFAULT-VALUE})")
    long maxWait;

    @Option(names = "--retries", order = 52, paramLabel = "N", defaultValue = "6",
            description = "attempts per request before it becomes a coverage gap (default: ${DEFAULT-VALUE})")
    int retries;

    /** Tests run real waits at a fraction of their length; never needed in use. */
    @Option(names = "--time-scale", order = 53, hidden = true, defaultValue = "1")
    double timeScale;

    @Option(names = "--quiet", order = 54, description = "no progress bar")
    boolean quiet;

    @Option(names = "--offline", order = 55, paramLabel = "EVIDENCE_DIR",
            description = "re-run detection and exposure from the evidence folder of an earlier scan (OUT/evidence), "
                    + "e.g. with a corrected --playbook; makes no request and needs no credentials")
    Path offline;

    @Override
    public Integer call() {
        ScanOptions options = new ScanOptions(providers, concurrency, out);
        if (offline != null) {
            if (!options.requested().isEmpty()) {
                main.err.println("breachwalk: --offline re-analyses stored evidence; it takes no targets ("
                        + targetFlags() + ")");
                return Exits.USAGE;
            }
            return new ScanRun(main.env, main.providers, main.out, main.err, quiet).force(force)
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
        ScanOptions options = new ScanOptions(providers, concurrency, out);
        if (options.requested().isEmpty()) {
            main.err.println("breachwalk: nothing to scan: give " + targetFlags() + " (or try `breachwalk demo`)");
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
        for (Provider p : options.requested()) {
            p.warnings(env).forEach(w -> main.err.println("breachwalk: " + w));
        }
        RetryPolicy policy = RetryPolicy.defaults().withMaxAttempts(retries).withMaxWait(Duration.ofSeconds(maxWait))
                .withTimeScale(timeScale);
        return new ScanRun(env, main.providers, main.out, main.err, quiet).retryPolicy(policy).force(force)
                .estateKey(estateKey).run(incident.playbook, incident.since, incident.until, options);
    }

    /** `--github-org, --github-repo or --jenkins-url`: the flags that name what to walk, from every provider. */
    private String targetFlags() {
        List<String> flags = new ArrayList<>();
        providers.forEach(p -> flags.addAll(p.targetFlags()));
        return flags.size() <= 1 ? String.join("", flags)
                : String.join(", ", flags.subList(0, flags.size() - 1)) + " or " + flags.get(flags.size() - 1);
    }
}
