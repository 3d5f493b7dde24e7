package io.breachwalk.detect.config;

import io.breachwalk.detect.ConfigParseException;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.yaml.SafeYaml;
import io.breachwalk.detect.yaml.YNode;
import java.util.List;
import java.util.Optional;

/**
 * Picks the reader for a file (by conventional path, else by content, or as forced) and reads it. The readers are
 * given: providers own theirs, and the command that inspects assembles the list.
 */
public final class ConfigInspector {
    /** Either the jobs of a recognised file, or why there are none (one line), or neither for a non-CI file. */
    public record Outcome(Optional<String> provider, List<JobReport> jobs, Optional<String> problem) {
        static Outcome notCi() { return new Outcome(Optional.empty(), List.of(), Optional.empty()); }
        static Outcome problem(String provider, String why) { return new Outcome(Optional.ofNullable(provider), List.of(), Optional.of(why)); }
    }

    private final List<ConfigReader> readers;
    private final IndicatorMatcher indicators;

    /**
     * @param readers every format `inspect` knows; order matters for content sniffing, the more specific formats first
     */
    public ConfigInspector(List<ConfigReader> readers, IndicatorMatcher indicators) {
        this.readers = readers;
        this.indicators = indicators;
    }

    /** The provider names --provider accepts, in the readers' order. */
    public List<String> providers() {
        return readers.stream().map(ConfigReader::provider).toList();
    }

    public Optional<ConfigReader> byProvider(String name) {
        return readers.stream().filter(r -> r.provider().equalsIgnoreCase(name)
                || r.provider().toLowerCase().startsWith(name.toLowerCase() + "-")).findFirst();
    }

    public boolean isConventional(String repoPath) {
        return readers.stream().anyMatch(r -> r.conventionalPath(repoPath));
    }

    /**
     * @param forced a provider name to skip recognition, or null
     * @param mustBeCi true when the user named this file: an unrecognised file is then a problem, not silence
     */
    public Outcome inspect(CiFile file, FileLookup lookup, String forced, boolean mustBeCi) {
        Optional<ConfigReader> reader = forced != null ? byProvider(forced)
                : readers.stream().filter(r -> r.conventionalPath(file.repoPath()) || r.conventionalPath(file.displayPath())).findFirst();
        if (reader.isEmpty()) {
            YNode yaml = null;
            String parseError = null;
            try {
                yaml = new SafeYaml().parse(file.text());
            } catch (ConfigParseException e) {
                parseError = e.getMessage();
            }
            final YNode y = yaml;
            reader = readers.stream().filter(r -> r.looksLike(file.text(), y)).findFirst();
            if (reader.isEmpty() && mustBeCi) {
                reader = readers.stream().filter(r -> r.takesNamedFile(file.displayPath(), file.text())).findFirst();
            }
            if (reader.isEmpty()) {
                if (!mustBeCi) return Outcome.notCi();
                return Outcome.problem(null, parseError != null ? "not recognised as CI configuration: " + parseError
                        : "not recognised as CI configuration of a known provider");
            }
        }
        try {
            return new Outcome(Optional.of(reader.get().provider()), reader.get().read(file, lookup, indicators), Optional.empty());
        } catch (ConfigParseException e) {
            return Outcome.problem(reader.get().provider(), e.getMessage());
        } catch (RuntimeException e) {
            // A reader bug on a strange file must not stop the other paths: report it as this file's problem.
            return Outcome.problem(reader.get().provider(), "could not read: " + e);
        }
    }
}
