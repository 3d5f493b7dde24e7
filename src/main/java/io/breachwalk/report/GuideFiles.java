package io.breachwalk.report;

import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.Runbooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import io.breachwalk.files.OwnerOnlyFiles;

/**
 * The `guide/` folder of a scan's output: the data dictionary, the rotation steps per secret type and the playbook's
 * runbook. They live in the jar; a responder who has only the output folder (or a copy of it) needs them beside the
 * CSV files that refer to them (rotation.csv's `guide` column is `guide/rotation.md#<type>`).
 */
public final class GuideFiles {

    public static final String DIR = "guide/";
    /** The data dictionary in the jar (docs/outputs.md in the repository); also what `breachwalk explain` prints. */
    public static final String DICTIONARY_RESOURCE = "docs/outputs.md";
    private static final String ROTATION_RESOURCE = "playbooks/rotation.md";

    private GuideFiles() {
    }

    public static void write(OwnerOnlyFiles out, Playbook playbook) throws IOException {
        String dictionary = dictionary();
        out.writeString(DIR + "outputs.md", dictionary);
        String rotation = resource(ROTATION_RESOURCE).orElseThrow(
                () -> new IOException(ROTATION_RESOURCE + " is missing from the jar"));
        out.writeString(DIR + "rotation.md", rotation);
        Optional<String> runbook = Runbooks.of(playbook);
        if (runbook.isPresent()) {
            out.writeString(DIR + playbook.id() + ".md", runbook.get());
        }
    }

    /** The data dictionary (Markdown). */
    public static String dictionary() {
        return resource(DICTIONARY_RESOURCE).orElseThrow(
                () -> new IllegalStateException(DICTIONARY_RESOURCE + " is missing from the jar"));
    }

    private static Optional<String> resource(String name) {
        try (InputStream in = GuideFiles.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(name + " is unreadable", e);
        }
    }
}
