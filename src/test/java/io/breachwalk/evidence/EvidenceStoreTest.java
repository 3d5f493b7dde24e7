package io.breachwalk.evidence;

import io.breachwalk.text.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class EvidenceStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T01:02:03Z"), ZoneOffset.UTC);

    @Test
    void filesAndIndexAreOwnerOnlyAndNoTemporaryFileIsLeft(@TempDir Path out) throws IOException {
        EvidenceStore store = EvidenceStore.open(out, Redactor.none(), CLOCK);
        String a = store.put("run", "https://ci/runs/1", "application/json", "{\"id\":1}");
        String b = store.put("log", "https://ci/logs/1", "text/plain", "line\n");
        store.put("run", "https://ci/runs/1", "application/json", "{\"id\":1}"); // again: changes nothing

        // Lines are appended as entries arrive, before finish().
        assertThat(Files.readAllLines(store.dir().resolve(EvidenceStore.INDEX))).hasSize(2);
        store.finish();

        assertThat(Files.readString(store.dir().resolve(a))).isEqualTo("{\"id\":1}");
        assertThat(Files.readString(store.dir().resolve(b))).isEqualTo("line\n");
        assertThat(mode(store.dir())).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(store.dir())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(a, b, EvidenceStore.INDEX);
        }
        for (String name : List.of(a, b, EvidenceStore.INDEX)) {
            assertThat(mode(store.dir().resolve(name))).as(name).isEqualTo("rw-------");
        }
    }

    @Test
    void aPutAfterFinishIsIndexedAndAFinishAgainKeepsEveryEntrySorted(@TempDir Path out) throws IOException {
        EvidenceStore store = EvidenceStore.open(out, Redactor.none(), CLOCK);
        store.put("run", "https://ci/runs/2", "application/json", "two");
        store.finish();
        store.put("run", "https://ci/runs/1", "application/json", "one");
        Path index = store.dir().resolve(EvidenceStore.INDEX);
        assertThat(Files.readAllLines(index)).hasSize(2); // appended to the rewritten index
        store.finish();

        List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2).isSorted();
        assertThat(String.join("\n", lines)).contains("https://ci/runs/1", "https://ci/runs/2");
        assertThat(mode(index)).isEqualTo("rw-------");

        // A later scan over the same folder reads both entries back and adds nothing for the same content.
        EvidenceStore again = EvidenceStore.open(out, Redactor.none(), CLOCK);
        assertThat(again.index()).isEqualTo(store.index());
        again.put("run", "https://ci/runs/1", "application/json", "one");
        again.finish();
        assertThat(Files.readAllLines(index, StandardCharsets.UTF_8)).isEqualTo(lines);
    }

    /** Evidence files are created in place (no temporary file): one cut short by a killed scan is written again. */
    @Test
    void aFileCutShortByAKilledWriteIsReplaced(@TempDir Path out) throws IOException {
        EvidenceStore store = EvidenceStore.open(out, Redactor.none(), CLOCK);
        String hash = EvidenceStore.sha256("content".getBytes(StandardCharsets.UTF_8));
        Path cut = store.dir().resolve(hash);
        Files.writeString(cut, "cont");

        assertThat(store.put("log", "https://ci/logs/9", "text/plain", "content")).isEqualTo(hash);
        store.finish();

        assertThat(store.read(hash)).contains("content");
        assertThat(mode(cut)).isEqualTo("rw-------");
        try (var names = Files.list(store.dir())) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(hash, EvidenceStore.INDEX);
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
