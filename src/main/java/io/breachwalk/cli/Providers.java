package io.breachwalk.cli;

import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.detect.formats.FormatReaders;
import io.breachwalk.model.ProviderTraits;
import io.breachwalk.source.Provider;
import io.breachwalk.source.github.GitHubProvider;
import io.breachwalk.source.jenkins.JenkinsProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The CI providers breachwalk knows, in the order they are walked and listed: adding a provider adds one line to
 * {@link #STANDARD}. Fresh instances per command line, since each holds that line's parsed flags.
 */
final class Providers {

    static final Supplier<List<Provider>> STANDARD = () -> List.of(
            new GitHubProvider(),
            new JenkinsProvider()
    );

    private final List<Provider> all;

    Providers(List<Provider> all) {
        this.all = List.copyOf(all);
    }

    List<Provider> all() {
        return all;
    }

    /** Every provider's credential variables, whose values the redactor hides. */
    List<String> credentialVariables() {
        List<String> names = new ArrayList<>();
        all.forEach(p -> names.addAll(p.credentialVariables()));
        return names;
    }

    /**
     * The readers `inspect` uses: each provider's own (GitHub workflows, Jenkinsfiles), then the formats of CI systems
     * without a walk, then shell scripts. Only Jenkinsfiles and scripts are read from text that is not YAML, so the
     * providers' readers go first without taking another format's files.
     */
    List<ConfigReader> configReaders() {
        List<ConfigReader> readers = new ArrayList<>();
        all.forEach(p -> readers.addAll(p.configReaders()));
        readers.addAll(FormatReaders.withoutWalk());
        readers.add(FormatReaders.fallback());
        return readers;
    }

    /** How the reports speak of each provider, by provider name. */
    Map<String, ProviderTraits> traits() {
        Map<String, ProviderTraits> traits = new LinkedHashMap<>();
        all.forEach(p -> traits.put(p.name(), p.traits()));
        return traits;
    }
}
