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
     * by design, and that is the only difference allowed.
     */
    static Reports read(Path out, Map<String, String> urls) throws IOException {
        Map<String, List<String>> files = new LinkedHashMap<>();
        for (String name : CSV) files.put(name, lines(out.resolve(name), urls));
        files.put("report.json", lines(out.resolve("report.json"), urls).stream()
                .filter(l -> !l.contains("\"api_requests\"")).toList());
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
