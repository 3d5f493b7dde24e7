package io.breachwalk.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Scan the bundled sample estate (simulated on loopback): no network, no tokens.")
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "breachwalk-out",
            description = "output folder (default: ./${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
        main.err.println("breachwalk: the sample estate is not bundled in this build yet");
        return Exits.USAGE;
    }
}
