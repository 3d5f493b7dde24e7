package io.breachwalk.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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

    @Test
    void anAppendChannelCreatesTheFileOwnerOnlyAndKeepsAnExistingOnesMode(@TempDir Path dir) throws IOException {
        Path created = dir.resolve("index.jsonl");
        try (FileChannel out = OwnerOnlyFiles.openOwnerOnlyAppend(created)) {
            out.write(ByteBuffer.wrap("a\n".getBytes(StandardCharsets.UTF_8)));
        }
        try (FileChannel out = OwnerOnlyFiles.openOwnerOnlyAppend(created)) {
            out.write(ByteBuffer.wrap("b\n".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(Files.readString(created)).isEqualTo("a\nb\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created))).isEqualTo("rw-------");

        Path shared = Files.createFile(dir.resolve("shared.jsonl"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r-----"));
        try (FileChannel out = OwnerOnlyFiles.openOwnerOnlyAppend(shared)) {
            out.write(ByteBuffer.wrap("c\n".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rw-r-----");
    }

    @Test
    void createNewWritesOwnerOnlyInPlaceAndNeverOverwrites(@TempDir Path dir) throws IOException {
        Path blob = dir.resolve("blob");
        assertThat(OwnerOnlyFiles.createNew(blob, "first".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(OwnerOnlyFiles.createNew(blob, "second".getBytes(StandardCharsets.UTF_8))).isFalse();

        assertThat(Files.readString(blob)).isEqualTo("first");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob))).isEqualTo("rw-------");
        try (Stream<Path> names = Files.list(dir)) {
            assertThat(names).containsExactly(blob);
        }
    }

    @Test
    void bytesReplaceALeftoverTemporaryFileAndLeaveNoneBehind(@TempDir Path dir) throws IOException {
        Path blob = dir.resolve("blob");
        Path leftover = dir.resolve(".blob.tmp");
        Files.writeString(leftover, "half");
        Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-rw-rw-"));
        OwnerOnlyFiles.replace(blob, new byte[]{4, 5});
        assertThat(Files.readAllBytes(blob)).containsExactly(4, 5);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob))).isEqualTo("rw-------");
        assertThat(leftover).doesNotExist();
    }
}
