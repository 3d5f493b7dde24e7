package io.breachwalk.cli;

import io.breachwalk.report.GuideFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `breachwalk explain [TERM]`: the data dictionary (docs/outputs.md, shipped in the jar) or one entry of it, so that a
 * responder with only the jar and an output folder can look up a column, a status or a gap code.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain the output files, their columns and values, and the coverage gap codes (the data "
                + "dictionary, also written to OUT/guide/outputs.md).",
                "Examples: breachwalk explain REVIEW; breachwalk explain secret_scope; breachwalk explain LOGS_EXPIRED"})
final class ExplainCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TERM",
            description = "a file, column, value or gap code; without one, the whole dictionary")
    String term;

    @Override
    public Integer call() {
        String dictionary = GuideFiles.dictionary();
        if (term == null || term.isBlank()) {
            main.out.print(dictionary);
            return Exits.CLEAN;
        }
        List<Entry> entries = entries(dictionary);
        String key = key(term);
        List<Entry> found = entries.stream().filter(e -> e.key().equals(key)).toList();
        if (found.isEmpty()) {
            main.err.println("breachwalk: `" + term.strip() + "` is not in the data dictionary; "
                    + "`breachwalk explain` prints it whole. Terms:");
            Map<String, List<String>> bySection = new LinkedHashMap<>();
            for (Entry e : entries) {
                if (e.level() == 3) {
                    bySection.computeIfAbsent(e.section(), s -> new ArrayList<>()).add(e.heading());
                }
            }
            bySection.forEach((section, terms) -> main.err.println("  " + section + ": " + String.join(", ", terms)));
            return Exits.USAGE;
        }
        for (int i = 0; i < found.size(); i++) {
            main.out.print((i > 0 ? "\n" : "") + found.get(i).text());
        }
        return Exits.CLEAN;
    }

    /** A heading of the dictionary and its text up to the next heading of the same or a higher level. */
    record Entry(int level, String heading, String section, String text) {
        String key() {
            return ExplainCommand.key(heading);
        }
    }

    /** What a heading and a typed term are compared by: case does not matter, spaces read as dashes,
     * and `evidence` finds both the column and the `evidence/` folder. */
    static String key(String s) {
        return s.replace("`", "").strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", "-").replaceAll("/$", "");
    }

    static List<Entry> entries(String markdown) {
        String[] lines = markdown.split("\n", -1);
        List<Entry> out = new ArrayList<>();
        String section = "";
        for (int i = 0; i < lines.length; i++) {
            int level = level(lines[i]);
            if (level != 2 && level != 3) {
                continue;
            }
            String heading = lines[i].substring(level + 1).strip();
            if (level == 2) {
                section = heading;
            }
            StringBuilder text = new StringBuilder(lines[i]).append('\n');
            for (int j = i + 1; j < lines.length; j++) {
                int next = level(lines[j]);
                if (next > 0 && next <= level) {
                    break;
                }
                text.append(lines[j]).append('\n');
            }
            out.add(new Entry(level, heading, section, text.toString().stripTrailing() + "\n"));
        }
        return out;
    }

    private static int level(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == '#') {
            n++;
        }
        return n > 0 && n < line.length() && line.charAt(n) == ' ' ? n : 0;
    }
}
