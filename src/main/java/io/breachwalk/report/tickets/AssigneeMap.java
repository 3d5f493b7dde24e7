package io.breachwalk.report.tickets;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who gets the ticket, by where the secret is stored. A CSV of `scope_owner,assignee` rows (header optional, `#`
 * comments allowed); the pattern is a glob on rotation.csv's scope_owner (for Jenkins credentials also on the full
 * names of the jobs that bound them, e.g. `payments/*`) where `*` matches anything, `/` included
 * (`acme/*`, `acme/payments:production`, `system`, `*`). The first matching row wins, so put specific rows first and
 * a catch-all last.
 */
public final class AssigneeMap {

    public static final AssigneeMap NONE = new AssigneeMap(List.of());

    record Rule(String pattern, Pattern regex, String assignee) {
    }

    private final List<Rule> rules;

    AssigneeMap(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static AssigneeMap load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        }
    }

    static AssigneeMap parse(Reader reader, String name) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setCommentMarker('#').setIgnoreSurroundingSpaces(true)
                .setIgnoreEmptyLines(true).get();
        List<Rule> rules = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            for (CSVRecord rec : parser) {
                if (rec.size() == 0 || (rec.size() == 1 && rec.get(0).isBlank())) {
                    continue;
                }
                if (rules.isEmpty() && rec.getRecordNumber() == 1 && isHeader(rec)) {
                    continue;
                }
                if (rec.size() != 2 || rec.get(0).isEmpty() || rec.get(1).isEmpty()) {
                    throw new IOException(name + " line " + rec.getParser().getCurrentLineNumber()
                            + ": expected `scope_owner pattern,assignee`");
                }
                rules.add(new Rule(rec.get(0), glob(rec.get(0)), rec.get(1)));
            }
        }
        return new AssigneeMap(rules);
    }

    /**
     * A first row that names the columns, in any of the README's wordings (`scope_owner,assignee`, `scope_owner
     * pattern,assignee`, `pattern,assignee`), is a header; a rule never has `assignee` as its assignee.
     */
    private static boolean isHeader(CSVRecord rec) {
        String first = rec.get(0).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        return first.matches("scope[_ ]owner( pattern)?|pattern")
                || rec.size() == 2 && rec.get(1).strip().equalsIgnoreCase("assignee");
    }

    /** The assignee for a secret stored at this owner, or "" (unassigned: the importer leaves it to triage). */
    public String assignee(String scopeOwner) {
        return assignee(scopeOwner, List.of());
    }

    /**
     * The assignee for a secret stored at this owner and bound by jobs of these projects (a Jenkins credential of the
     * `system` store is routed by the folders and jobs that use it). Rules are tried in file order; a rule matches
     * when its pattern matches the owner or any of the projects, so the first matching row still wins.
     */
    public String assignee(String scopeOwner, List<String> projects) {
        String owner = scopeOwner == null ? "" : scopeOwner;
        for (Rule rule : rules) {
            if (rule.regex().matcher(owner).matches()
                    || projects.stream().anyMatch(p -> p != null && rule.regex().matcher(p).matches())) {
                return rule.assignee();
            }
        }
        return "";
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        String[] parts = glob.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            re.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }
}
