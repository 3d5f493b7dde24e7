package io.breachwalk.evidence;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Gap;
import io.breachwalk.files.Json;
import io.breachwalk.files.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * `OUT/evidence/manifest.json`: which stored files each run and project was judged from (the walk's
 * {@link EvidenceRecord}s), the window and playbook of the scan, and the coverage gaps of the online walk (offline
 * re-analysis repeats them, since it cannot ask the CI system again). Sorted, so two scans of the same data write
 * the same manifest.
 */
public record EvidenceManifest(@JsonProperty("breachwalk_evidence") int format,
                               @JsonProperty("playbook") String playbook,
                               @JsonProperty("since") Instant since, @JsonProperty("until") Instant until,
                               @JsonProperty("records") List<EvidenceRecord> records,
                               @JsonProperty("gaps") List<Gap> gaps) {

    public static final String FILE = "manifest.json";

    public static EvidenceManifest of(String playbook, Instant since, Instant until, List<EvidenceRecord> records,
                                      List<Gap> gaps) {
        List<EvidenceRecord> sorted = new ArrayList<>(new java.util.LinkedHashSet<>(records));
        sorted.sort(Comparator.comparing(EvidenceRecord::provider).thenComparing(EvidenceRecord::host)
                .thenComparing(EvidenceRecord::project).thenComparing(EvidenceRecord::runId, EvidenceManifest::numeric));
        List<Gap> g = new ArrayList<>(new java.util.LinkedHashSet<>(gaps));
        g.sort(io.breachwalk.model.Order.GAPS);
        return new EvidenceManifest(1, playbook, since, until, sorted, g);
    }

    /** Run ids are numbers: 9 before 10. */
    private static int numeric(String a, String b) {
        if (a.length() != b.length() && a.chars().allMatch(Character::isDigit) && b.chars().allMatch(Character::isDigit)) {
            return Integer.compare(a.length(), b.length());
        }
        return a.compareTo(b);
    }

    public void write(Path evidenceDir) throws IOException {
        // Streamed to the file: the manifest of a large estate is too big to hold twice as one string.
        new OwnerOnlyFiles(evidenceDir).write(FILE, w -> Json.mapper().writeValue(w, this));
    }

    public static EvidenceManifest read(Path evidenceDir) throws IOException {
        Path file = evidenceDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + FILE + " in " + evidenceDir + " (give the evidence folder of a finished scan, "
                    + "OUT/evidence)");
        }
        return Json.mapper().readValue(file.toFile(), EvidenceManifest.class);
    }
}
