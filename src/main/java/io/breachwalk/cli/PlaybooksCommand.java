package io.breachwalk.cli;

import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.PlaybookException;
import io.breachwalk.playbook.PlaybookLoader;
import io.breachwalk.text.SafeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "playbooks", mixinStandardHelpOptions = true,
        description = {"List the bundled incident playbooks (id, title, window).",
                "`playbooks show ID|FILE` validates one playbook, a bundled id or your own YAML file, and prints it "
                        + "as a scan applies it (defaults filled in); `playbooks runbook ID|FILE` prints its runbook; "
                        + "`playbooks init ID` prints a template for a new incident (docs/playbooks.md)."},
        footer = {"", "Examples:", "  breachwalk playbooks", "  breachwalk playbooks show codecov-2021",
                "  breachwalk playbooks show ./my-incident.yaml", "  breachwalk playbooks runbook codecov-2021",
                "  breachwalk playbooks init tj-actions-2025 > tj-actions-2025.yaml"})
final class PlaybooksCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "show|runbook|init",
            description = "show: validate one playbook and print it as applied; runbook: print its runbook; init: "
                    + "print a template")
    String verb;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID|FILE",
            description = "a bundled id (see the list) or the path of a playbook YAML file; with init, the new id")
    String ref;

    @Override
    public Integer call() {
        if (verb == null) {
            for (String id : PlaybookLoader.bundledIds()) {
                try {
                    Playbook p = PlaybookLoader.loadBundled(id);
                    main.out.printf("%-16s %s%n%-16s window %s to %s%n", p.id(), p.title(), "",
                            SafeText.time(p.window().since()), SafeText.time(p.window().until()));
                } catch (PlaybookException e) {
                    main.out.printf("%-16s (invalid: %s)%n", id, e.getMessage());
                }
            }
            main.out.println();
            main.out.println("Show one: breachwalk playbooks show ID   Use one: breachwalk scan --playbook ID|FILE");
            return Exits.CLEAN;
        }
        if (ref == null || !java.util.List.of("show", "runbook", "init").contains(verb)) {
            main.err.println("breachwalk: usage: breachwalk playbooks [show ID|FILE | runbook ID|FILE | init ID]");
            return Exits.USAGE;
        }
        if ("init".equals(verb)) {
            return init(ref);
        }
        try {
            Playbook p = PlaybookLoader.load(ref);
            if ("runbook".equals(verb)) {
                java.util.Optional<String> runbook = io.breachwalk.playbook.Runbooks.of(p);
                if (runbook.isEmpty()) {
                    main.err.println("breachwalk: playbook `" + p.id() + "` (" + p.source() + ") has no runbook; "
                            + "a file's runbook is " + p.id() + ".md beside it");
                    return Exits.USAGE;
                }
                main.out.print(runbook.get());
                return Exits.CLEAN;
            }
            // What a scan applies, defaults filled in; the file as written is playbooks/<id>.yaml in the repository.
            main.out.print(io.breachwalk.playbook.EffectivePlaybook.yaml(p));
            if (io.breachwalk.playbook.Runbooks.of(p).isPresent()) {
                main.out.println("# runbook: breachwalk playbooks runbook " + ref);
            }
            return Exits.CLEAN;
        } catch (PlaybookException e) {
            main.err.println("breachwalk: " + e.getMessage());
            return Exits.USAGE;
        }
    }

    /** A valid playbook to start from (the tj-actions/changed-files 2025 incident) with the user's id. */
    private Integer init(String id) {
        if (!id.matches("[a-z0-9][a-z0-9._-]*")) {
            main.err.println("breachwalk: playbook id `" + id + "`: use lower-case letters, digits, dots and dashes, "
                    + "e.g. breachwalk playbooks init tj-actions-2025 > tj-actions-2025.yaml");
            return Exits.USAGE;
        }
        try (java.io.InputStream in = PlaybooksCommand.class.getClassLoader()
                .getResourceAsStream("playbooks/template.yaml")) {
            String template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            main.out.print(template.replaceFirst("(?m)^id: .*$", "id: " + id));
            return Exits.CLEAN;
        } catch (java.io.IOException | NullPointerException e) {
            main.err.println("breachwalk: the playbook template is missing from this build; see docs/playbooks.md");
            return Exits.USAGE;
        }
    }
}
