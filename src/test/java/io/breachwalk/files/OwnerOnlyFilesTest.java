package io.breachwalk.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
