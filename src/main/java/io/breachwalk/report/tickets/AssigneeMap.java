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
 * comments allowed); the pattern is a glob on rotation.csv's scope_owner where `*` matches anything, `/` included
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
                if (rules.isEmpty() && rec.getRecordNumber() == 1 && rec.size() >= 1
                        && rec.get(0).toLowerCase(Locale.ROOT).matches("scope_owner|scope owner|pattern")) {
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

    /** The assignee for a secret stored at this owner, or "" (unassigned: the importer leaves it to triage). */
    public String assignee(String scopeOwner) {
        String owner = scopeOwner == null ? "" : scopeOwner;
        for (Rule rule : rules) {
            if (rule.regex().matcher(owner).matches()) {
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
