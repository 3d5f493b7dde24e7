package io.breachwalk.cli;

import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.PlaybookException;
import io.breachwalk.playbook.PlaybookLoader;
import io.breachwalk.playbook.Window;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Instant;

/** `--playbook`, `--since`, `--until`: which incident, over which window; shared by `scan` and `inspect`. */
final class IncidentOptions {

    @Option(names = "--playbook", paramLabel = "ID|FILE", defaultValue = PlaybookLoader.DEFAULT_ID,
            description = "incident playbook: a bundled id or a YAML file (default: ${DEFAULT-VALUE})")
    String playbook;

    @Option(names = "--since", paramLabel = "T", converter = TimeOption.class,
            description = "start of the window, inclusive: e.g. 2021-01-31T00:00:00Z or 2021-01-31 (default: the "
                    + "playbook's)")
    Instant since;

    @Option(names = "--until", paramLabel = "T", converter = TimeOption.class,
            description = "end of the window, exclusive: e.g. 2021-04-02T07:00:00Z (default: the playbook's)")
    Instant until;

    /** The playbook and the window it is read over (the playbook's, or --since/--until). */
    record Incident(Playbook playbook, Window window) {
    }

    Incident load(PrintStream err) {
        return load(playbook, since, until, err);
    }

    /** Loads the playbook and builds the window; null after one line on stderr when either is unusable. */
    static Incident load(String playbookRef, Instant since, Instant until, PrintStream err) {
        try {
            Playbook playbook = PlaybookLoader.load(playbookRef);
            return new Incident(playbook, new Window(since == null ? playbook.window().since() : since,
                    until == null ? playbook.window().until() : until));
        } catch (PlaybookException e) {
            err.println("breachwalk: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            err.println("breachwalk: --since/--until: " + e.getMessage());
        }
        return null;
    }
}
