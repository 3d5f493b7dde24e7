package io.breachwalk.cli;

import io.breachwalk.report.JsonReport;
import io.breachwalk.files.OwnerOnlyFiles;
import io.breachwalk.report.ReportBuilder;
import io.breachwalk.sim.DemoEstate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Serves the bundled sample estate on loopback and scans it with the same code as a live scan: the simulators speak
 * the providers' real APIs, so the clients, pagination, secret resolution and reports are all the real ones. The scan
 * is the `scan` command itself, given the arguments each simulator names: demo knows no provider option.
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
        List<DemoEstate<?>> estates = new ArrayList<>();
        try {
            return started(estates) ? scan(estates) : Exits.USAGE;
        } finally {
            for (int i = estates.size() - 1; i >= 0; i--) {
                estates.get(i).close();
            }
        }
    }

    /** Starts every simulator on its sample into {@code estates}; false after one line on stderr when one cannot. */
    private boolean started(List<DemoEstate<?>> estates) {
        try {
            for (DemoEstate.Starter starter : main.providers.demos()) {
                estates.add(starter.start());
            }
            return true;
        } catch (IOException | UncheckedIOException e) {
            String reason = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
            main.err.println("breachwalk: cannot start the sample estate on loopback (" + reason + ")");
            return false;
        }
    }

    private int scan(List<DemoEstate<?>> estates) {
        // The simulators' environment only: the user's own credential variables play no part in the demo.
        Map<String, String> env = new HashMap<>();
        List<String> args = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (DemoEstate<?> estate : estates) {
            env.putAll(estate.env());
            args.addAll(estate.scanArgs());
            described.add(estate.description());
        }
        main.err.println("breachwalk demo: sample estate served on loopback (" + String.join(", ", described) + ")");
        ScanCommand scan = new ScanCommand();
        scan.main = main;
        CommandLine line = new CommandLine(scan);
        ScanCommand.addProviders(line, main.providers.all());
        line.parseArgs(args.toArray(String[]::new));
        // The estate, not its loopback ports (new each run), identifies the demo's scan: an interrupted demo resumes.
        return scan.scan(env, "sample estate of breachwalk " + ReportBuilder.version(), out, force, quiet);
    }
}
