package io.breachwalk.playbook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A playbook's runbook: the Markdown a responder follows (`<id>.md`). Bundled playbooks have theirs in the jar; a
 * playbook loaded from a file has `<id>.md` or `<file name>.md` beside it, else the bundled runbook of the same id
 * (a corrected copy of a bundled playbook keeps its runbook).
 */
public final class Runbooks {

    private static final long MAX_BYTES = 4L * 1024 * 1024;

    private Runbooks() {
    }

    public static Optional<String> of(Playbook playbook) {
        if (!playbook.source().startsWith("bundled:")) {
            Path file = Path.of(playbook.source()).toAbsolutePath();
            Path dir = file.getParent();
            String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            for (String name : new String[]{playbook.id() + ".md", stem + ".md"}) {
                Optional<String> beside = read(dir.resolve(name));
                if (beside.isPresent()) {
                    return beside;
                }
            }
        }
        return PlaybookLoader.bundledRunbook(playbook.id());
    }

    private static Optional<String> read(Path path) {
        try {
            if (!Files.isRegularFile(path) || Files.size(path) > MAX_BYTES) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
