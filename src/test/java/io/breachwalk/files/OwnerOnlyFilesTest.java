package io.breachwalk.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OwnerOnlyFilesTest {

    @Test
    void aFailedWriteLeavesNoPartialFileBehind(@TempDir Path dir) throws IOException {
        OwnerOnlyFiles out = new OwnerOnlyFiles(dir);
        assertThatThrownBy(() -> out.write("rotation.csv", w -> {
            w.write("secret_id,partial");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void replacedAndCreatedFilesAreOwnerOnly(@TempDir Path dir) throws IOException {
        Path journal = dir.resolve("journal.jsonl");
        OwnerOnlyFiles.replace(journal, "{\"a\":1}\n");
        OwnerOnlyFiles.replace(journal, "{\"a\":2}\n");
        Path blob = dir.resolve("blob");
        OwnerOnlyFiles.replace(blob, new byte[]{1, 2, 3});
        Path index = dir.resolve("index.jsonl");
        OwnerOnlyFiles.createOwnerOnlyFile(index);
        Files.writeString(index, "kept\n");
        OwnerOnlyFiles.createOwnerOnlyFile(index); // exists: left as it is

        assertThat(Files.readString(journal)).isEqualTo("{\"a\":2}\n");
        assertThat(Files.readAllBytes(blob)).containsExactly(1, 2, 3);
        assertThat(Files.readString(index)).isEqualTo("kept\n");
        for (Path p : new Path[]{journal, blob, index}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                    .isEqualTo("rw-------");
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).hasSize(3); // no temporary file left behind
        }
    }
}
