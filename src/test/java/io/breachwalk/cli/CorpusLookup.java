package io.breachwalk.cli;

import io.breachwalk.detect.FileLookup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plays the repositories of the corpus: SOURCES.tsv says which repository and path each corpus file came from, so a
 * script or template a configuration calls is found among the corpus files (mostly referenced-scripts/).
 */
final class CorpusLookup {
    record Source(String file, String repo, String originalPath) { }

    private final Path root;
    private final Map<String, Source> byFile = new HashMap<>();
    private final Map<String, Path> byRepoPath = new HashMap<>();

    CorpusLookup(Path root) {
        this.root = root;
        try {
            List<String> lines = Files.readAllLines(root.resolve("SOURCES.tsv"));
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.split("\t");
                if (f.length < 5) continue;
                byFile.put(f[0], new Source(f[0], f[1], f[4]));
                byRepoPath.put(f[1] + "|" + f[4], root.resolve(f[0]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Source source(String corpusFile) { return byFile.get(corpusFile); }

    /** Lookup for a file of the given repository. */
    FileLookup forRepo(String repo) {
        return new FileLookup() {
            @Override public Optional<String> read(String repoPath) { return file(repo, repoPath); }
            @Override public Optional<String> readRemote(String repository, String ref, String path) { return file(repository, path); }
        };
    }

    private Optional<String> file(String repo, String path) {
        Path p = byRepoPath.get(repo + "|" + path);
        if (p == null) return Optional.empty();
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Path root() { return root; }
}
