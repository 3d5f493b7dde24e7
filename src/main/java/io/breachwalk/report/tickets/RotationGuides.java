package io.breachwalk.report.tickets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the bundled playbooks/rotation.md. Its sections are headed `## <type id>` (so the GitHub anchor is the type
 * id that rotation.csv's guide links to); the first bold phrase is the title, numbered lines are the steps and the
 * `**Confirm**:` paragraph says how to check.
 */
public final class RotationGuides {

    public static final String RESOURCE = "playbooks/rotation.md";
    private static final Pattern HEADING = Pattern.compile("^## ([a-z0-9-]+)\\s*$");
    private static final Pattern TITLE = Pattern.compile("\\*\\*(.+?)\\*\\*");
    private static final Pattern STEP = Pattern.compile("^\\d+\\.\\s+(.*)$");
    /** After the patterns: static fields initialise in order. */
    private static final RotationGuides BUNDLED = load();

    private final Map<String, RotationGuide> byId;

    RotationGuides(Map<String, RotationGuide> byId) {
        this.byId = byId;
    }

    public static RotationGuides bundled() {
        return BUNDLED;
    }

    public Optional<RotationGuide> get(String typeId) {
        return Optional.ofNullable(byId.get(typeId));
    }

    /** The guide for a type, falling back to `generic`: every ticket carries steps. */
    public RotationGuide forType(String typeId) {
        RotationGuide g = byId.get(typeId);
        return g != null ? g : byId.get("generic");
    }

    public java.util.Set<String> ids() {
        return byId.keySet();
    }

    static RotationGuides parse(String markdown) {
        Map<String, RotationGuide> out = new LinkedHashMap<>();
        String id = null;
        List<String> body = new ArrayList<>();
        for (String line : (markdown + "\n## end-of-file").split("\n", -1)) {
            Matcher h = HEADING.matcher(line);
            if (h.matches() || line.startsWith("## ")) {
                if (id != null) {
                    out.put(id, section(id, body));
                }
                id = h.matches() ? h.group(1) : null;
                body = new ArrayList<>();
            } else if (id != null) {
                body.add(line);
            }
        }
        return new RotationGuides(out);
    }

    /** Numbered items and the Confirm paragraph may wrap over several lines: join continuation lines. */
    private static RotationGuide section(String id, List<String> lines) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String t = line.strip();
            boolean starts = t.isEmpty() || STEP.matcher(t).matches() || t.startsWith("**");
            if (starts && current.length() > 0) {
                paragraphs.add(current.toString());
                current.setLength(0);
            }
            if (!t.isEmpty()) {
                current.append(current.length() > 0 ? " " : "").append(t);
            }
        }
        if (current.length() > 0) {
            paragraphs.add(current.toString());
        }
        String title = id;
        List<String> steps = new ArrayList<>();
        String confirm = "";
        for (String p : paragraphs) {
            Matcher step = STEP.matcher(p);
            if (step.matches()) {
                steps.add(plain(step.group(1)));
            } else if (p.startsWith("**Confirm**")) {
                confirm = plain(p.substring("**Confirm**".length()).replaceFirst("^:\\s*", ""));
            } else if (title.equals(id)) {
                Matcher m = TITLE.matcher(p);
                if (m.find()) {
                    title = m.group(1);
                }
            }
        }
        return new RotationGuide(id, title, List.copyOf(steps), confirm);
    }

    /** Tickets are plain text: drop the bold markers, keep backticks (they read fine as-is). */
    private static String plain(String s) {
        return s.replace("**", "");
    }

    private static RotationGuides load() {
        try (InputStream in = RotationGuides.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " is unreadable", e);
        }
    }
}
