package io.breachwalk.cli;

import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.PlaybookException;
import io.breachwalk.playbook.PlaybookLoader;
import io.breachwalk.report.Cells;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "playbooks", mixinStandardHelpOptions = true,
        description = {"List the bundled incident playbooks (id, title, window).",
                "`playbooks show ID|FILE` validates one playbook, a bundled id or your own YAML file, and prints it."},
        footer = {"", "Examples:", "  breachwalk playbooks", "  breachwalk playbooks show codecov-2021",
                "  breachwalk playbooks show ./my-incident.yaml"})
final class PlaybooksCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "show",
            description = "show one playbook: validate it and print its YAML (and where its runbook is)")
    String verb;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID|FILE",
            description = "with show: a bundled id (see the list) or the path of a playbook YAML file")
    String ref;

    @Override
    public Integer call() {
        if (verb == null) {
            for (String id : PlaybookLoader.bundledIds()) {
                try {
                    Playbook p = PlaybookLoader.loadBundled(id);
                    main.out.printf("%-16s %s%n%-16s window %s to %s%n", p.id(), p.title(), "",
                            Cells.time(p.window().since()), Cells.time(p.window().until()));
                } catch (PlaybookException e) {
                    main.out.printf("%-16s (invalid: %s)%n", id, e.getMessage());
                }
            }
            main.out.println();
            main.out.println("Show one: breachwalk playbooks show ID   Use one: breachwalk scan --playbook ID|FILE");
            return Exits.CLEAN;
        }
        if (!"show".equals(verb) || ref == null) {
            main.err.println("breachwalk: usage: breachwalk playbooks [show ID|FILE]");
            return Exits.USAGE;
        }
        try {
            Playbook p = PlaybookLoader.load(ref);
            main.out.println("# " + p.source() + " (valid)");
            main.out.print(p.text());
            PlaybookLoader.bundledRunbook(p.id()).filter(md -> p.source().startsWith("bundled:"))
                    .ifPresent(md -> main.out.println("\n# runbook: playbooks/" + p.id() + ".md"));
            return Exits.CLEAN;
        } catch (PlaybookException e) {
            main.err.println("breachwalk: " + e.getMessage());
            return Exits.USAGE;
        }
    }
}
