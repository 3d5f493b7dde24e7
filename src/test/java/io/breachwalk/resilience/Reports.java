package io.breachwalk.resilience;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The final reports of one scan, read back for row-for-row comparison with another scan of the same estate. */
record Reports(Map<String, List<String>> files) {

    static final List<String> CSV = List.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv", "tickets.csv");

    /**
     * Reads the reports in {@code out}, with each simulator's base URL (its loopback port differs per run) replaced
     * by a placeholder. In report.json the API request counters are dropped: retries and resumes make more requests
     * by design, and that is the only difference allowed besides the `scan` block (its time and options), also dropped. Evidence links are compared by kind (a stored Jenkins build
     * record holds the simulator's port and git remote path, so its hash differs per run; EvidenceScanTest compares
     * hashes against one simulator).
     */
    static Reports read(Path out, Map<String, String> urls) throws IOException {
        Map<String, List<String>> files = new LinkedHashMap<>();
        for (String name : CSV) files.put(name, lines(out.resolve(name), urls));
        // Ticket due dates count from the day the scan ran: not part of what two scans must agree on.
        files.put("tickets.csv", files.get("tickets.csv").stream()
                .map(l -> l.replaceAll(",\\d{4}-\\d{2}-\\d{2},([^,]*)$", ",DUE,$1")).toList());
        Map<String, String> kinds = new java.util.HashMap<>();
        Path index = out.resolve("evidence").resolve("index.jsonl");
        if (Files.isRegularFile(index)) {
            for (String l : Files.readAllLines(index)) {
                com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(l);
                kinds.put(n.path("hash").asText(), n.path("kind").asText());
            }
        }
        java.util.regex.Pattern hash = java.util.regex.Pattern.compile("\"([0-9a-f]{64})\"");
        List<String> json = new java.util.ArrayList<>();
        boolean inScanBlock = false;
        for (String l : lines(out.resolve("report.json"), urls)) {
            // The `scan` block (when, as whom, with which options) differs per run by design; nothing else may.
            if (l.equals("  \"scan\" : {")) {
                inScanBlock = true;
                continue;
            }
            if (inScanBlock) {
                inScanBlock = !l.startsWith("  }");
                continue;
            }
            if (l.contains("\"api_requests\"")) continue;
            java.util.regex.Matcher m = hash.matcher(l);
            List<String> linked = new java.util.ArrayList<>();
            while (m.find()) linked.add(kinds.getOrDefault(m.group(1), "missing"));
            if (!linked.isEmpty()) {
                java.util.Collections.sort(linked);
                l = l.substring(0, l.indexOf('[') + 1) + String.join(",", linked) + "]";
            }
            json.add(l);
        }
        files.put("report.json", json);
        return new Reports(files);
    }

    private static List<String> lines(Path file, Map<String, String> urls) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        for (Map.Entry<String, String> u : urls.entrySet()) text = text.replace(u.getKey(), u.getValue());
        return text.lines().toList();
    }

    void assertSameAs(Reports clean, String scenario) {
        for (String name : files.keySet()) {
            assertThat(files.get(name)).as(scenario + ": " + name).containsExactlyElementsOf(clean.files.get(name));
        }
    }

    int rows(String csv) {
        return files.get(csv).size() - 1;
    }
}
