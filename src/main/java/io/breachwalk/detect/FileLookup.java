package io.breachwalk.detect;

import java.util.Optional;

/**
 * Reads other files a configuration refers to: scripts and templates in the same tree (at the same commit), and,
 * where the caller can, files of third-party actions and templates.
 */
public interface FileLookup {
    /** A file of the same tree by repository-relative path ("scripts/upload.sh"); empty when absent or unreadable. */
    Optional<String> read(String repoPath);

    /** A file of another repository ("gatzka/codecov-action", "v1.4.0", "action.yml"); empty when not available. */
    default Optional<String> readRemote(String repository, String ref, String path) { return Optional.empty(); }

    FileLookup NONE = p -> Optional.empty();

    /** Normalises "./a/../b\\c" to "b/c"; null when the path leaves the repository. */
    static String normalise(String path) {
        String p = path.replace('\\', '/');
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) continue;
            if (s.equals("..")) {
                if (parts.isEmpty()) return null;
                parts.removeLast();
            } else {
                parts.addLast(s);
            }
        }
        return String.join("/", parts);
    }
}
