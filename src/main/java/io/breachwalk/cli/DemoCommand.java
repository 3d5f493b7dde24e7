package io.breachwalk.cli;

import io.breachwalk.report.JsonReport;
import io.breachwalk.files.OwnerOnlyFiles;
import io.breachwalk.report.ReportBuilder;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.sim.jenkins.JenkinsSample;
import io.breachwalk.source.ScanOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Serves the bundled sample estate on loopback and scans it with the same code as a live scan: the simulators speak
 * the providers' real APIs, so the clients, pagination, secret resolution and reports are all the real ones.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Scan the bundled sample estate (simulated on loopback): no network, no tokens.")
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "breachwalk-out",
            description = "output folder (default: ./${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--force", description = "replace the finished report the --out folder already holds")
    boolean force;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() {
        // The folder is checked before the estate is served: a refusal is the only output.
        if (!OutputFolder.usable(OwnerOnlyFiles.normalized(out), JsonReport.FILE, force, "", main.err)) {
            return Exits.USAGE;
        }
        try (GitHubSimulator.Demo github = GitHubSimulator.startDemo(); JenkinsSample jenkins = JenkinsSample.start()) {
            Map<String, String> env = new HashMap<>(github.env());
            env.putAll(jenkins.env());
            List<String> args = new java.util.ArrayList<>(List.of("--github-url", github.githubUrl()));
            github.orgs().forEach(o -> args.addAll(List.of("--github-org", o)));
            args.addAll(List.of("--jenkins-url", jenkins.url()));
            jenkins.jobs().forEach(j -> args.addAll(List.of("--jenkins-job", j)));
            // The providers' own flags, parsed as `scan` parses them, so the demo names no provider option itself.
            picocli.CommandLine scan = new picocli.CommandLine(new ScanCommand());
            ScanCommand.addProviders(scan, main.providers.all());
            scan.parseArgs(args.toArray(String[]::new));
            ScanOptions options = new ScanOptions(main.providers.all(), 4, out);
            main.err.println("breachwalk demo: sample estate served on loopback (GitHub organization "
                    + String.join(", ", github.orgs()) + " at " + github.githubUrl() + ", Jenkins at " + jenkins.url()
                    + ")");
            // The estate, not its loopback ports (new each run), identifies the demo's scan: an interrupted demo resumes.
            return new ScanRun(env, main.providers, main.out, main.err, quiet).force(force)
                    .estateKey("sample estate of breachwalk " + ReportBuilder.version()).run(null, null, null, options);
        } catch (IOException e) {
            main.err.println("breachwalk: cannot start the sample estate on loopback (" + e.getMessage() + ")");
            return Exits.USAGE;
        }
    }
}
