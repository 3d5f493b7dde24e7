package io.breachwalk.report.tickets;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Days allowed per priority before a ticket is due, e.g. `P1=1d,P2=3d,P3=2w,P4=30d`. Ticket due dates are dates
 * (the importer's Due Date field), so the units are days and weeks only.
 */
public record Sla(Map<String, Integer> days) {

    /** P1 within a day: a live credential in an attacker's hands; the rest on a working-week scale. */
    public static final Sla DEFAULT = new Sla(Map.of("P1", 1, "P2", 3, "P3", 7, "P4", 30));

    private static final Pattern ENTRY = Pattern.compile("(P[1-4])=(\\d{1,4})([dw])");

    public Sla {
        days = Map.copyOf(new TreeMap<>(days));
    }

    /** Entries given override the defaults one by one: `--sla P1=4h` is an error, `--sla P1=2d` keeps P2..P4. */
    public static Sla parse(String spec) {
        Map<String, Integer> out = new TreeMap<>(DEFAULT.days());
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            Matcher m = ENTRY.matcher(p.toUpperCase(java.util.Locale.ROOT).replace("D", "d").replace("W", "w"));
            if (!m.matches()) {
                throw new IllegalArgumentException("`" + p + "` is not PRIORITY=DURATION; write e.g. P1=1d,P2=3d,P3=2w");
            }
            int n = Integer.parseInt(m.group(2));
            out.put(m.group(1), m.group(3).equals("w") ? n * 7 : n);
        }
        return new Sla(out);
    }

    public int daysFor(String priority) {
        Integer d = days.get(priority);
        return d == null ? days.getOrDefault("P4", 30) : d;
    }
}
