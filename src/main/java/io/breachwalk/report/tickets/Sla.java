package io.breachwalk.report.tickets;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Days allowed per priority before a ticket is due, e.g. `P1=1d,P2=3d,P3=2w,P4=30d`. Ticket due dates are dates
 * (Jira's Due Date is yyyy-MM-dd), so hours are accepted for teams whose SLA is written in hours but rounded up to
 * whole days: `P1=4h` is due the next day, `P1=36h` in two days.
 */
public record Sla(Map<String, Integer> days) {

    /** P1 within a day: a live credential in an attacker's hands; the rest on a working-week scale. */
    public static final Sla DEFAULT = new Sla(Map.of("P1", 1, "P2", 3, "P3", 7, "P4", 30));

    private static final Pattern ENTRY = Pattern.compile("(P[1-4])=(\\d{1,4})([hdw])");

    public Sla {
        days = Map.copyOf(new TreeMap<>(days));
    }

    /** Entries given override the defaults one by one: `--sla P1=2d` keeps P2..P4. */
    public static Sla parse(String spec) {
        Map<String, Integer> out = new TreeMap<>(DEFAULT.days());
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            Matcher m = ENTRY.matcher(p.toUpperCase(java.util.Locale.ROOT).replace("D", "d").replace("W", "w")
                    .replace("H", "h"));
            if (!m.matches()) {
                throw new IllegalArgumentException("`" + p + "` is not PRIORITY=DURATION; write e.g. P1=4h,P2=3d,P3=2w"
                        + " (hours round up to whole days)");
            }
            int n = Integer.parseInt(m.group(2));
            out.put(m.group(1), switch (m.group(3)) {
                case "w" -> n * 7;
                case "h" -> (n + 23) / 24;
                default -> n;
            });
        }
        return new Sla(out);
    }

    public int daysFor(String priority) {
        Integer d = days.get(priority);
        return d == null ? days.getOrDefault("P4", 30) : d;
    }
}
