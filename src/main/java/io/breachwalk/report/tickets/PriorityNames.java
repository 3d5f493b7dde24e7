package io.breachwalk.report.tickets;

import java.util.Map;
import java.util.TreeMap;

/**
 * breachwalk's P1..P4 as the ticketing system names its priorities. Jira's defaults by default; a ServiceNow or
 * custom Jira scheme passes `--priority-names P1=1 - Critical,P2=2 - High,...`.
 */
public record PriorityNames(Map<String, String> names) {

    public static final PriorityNames JIRA = new PriorityNames(
            Map.of("P1", "Highest", "P2", "High", "P3", "Medium", "P4", "Low"));

    public PriorityNames {
        names = Map.copyOf(new TreeMap<>(names));
    }

    public static PriorityNames parse(String spec) {
        Map<String, String> out = new TreeMap<>(JIRA.names());
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? "" : part.substring(0, eq).strip().toUpperCase(java.util.Locale.ROOT);
            String value = eq < 0 ? "" : part.substring(eq + 1).strip();
            if (!key.matches("P[1-4]") || value.isEmpty()) {
                throw new IllegalArgumentException("`" + part.strip()
                        + "` is not PRIORITY=NAME; write e.g. P1=Highest,P2=High,P3=Medium,P4=Low");
            }
            out.put(key, value);
        }
        return new PriorityNames(out);
    }

    public String name(String priority) {
        return names.getOrDefault(priority, priority);
    }
}
