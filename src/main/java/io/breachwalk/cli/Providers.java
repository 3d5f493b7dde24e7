package io.breachwalk.cli;

import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.detect.formats.FormatReaders;
import io.breachwalk.exposure.SecretTypes;
import io.breachwalk.model.ProviderTraits;
import io.breachwalk.sim.DemoEstate;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.sim.gitlab.GitLabSimulator;
import io.breachwalk.sim.jenkins.JenkinsSimulator;
import io.breachwalk.source.Provider;
import io.breachwalk.source.github.GitHubProvider;
import io.breachwalk.source.gitlab.GitLabProvider;
import io.breachwalk.source.jenkins.JenkinsProvider;
import io.breachwalk.text.Redactor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The CI providers breachwalk knows, in the order they are walked and listed: adding a provider adds one line to
 * {@link #STANDARD}, naming its {@link Provider} and the simulator `demo` serves for it. Fresh provider instances per
 * command line, since each holds that line's parsed flags.
 */
final class Providers {

    /** A provider and the starter of its sample estate for `demo` (null: none in the demo). */
    record Entry(Supplier<Provider> provider, DemoEstate.Starter demo) {
    }

    static final List<Entry> STANDARD = List.of(
            new Entry(GitHubProvider::new, GitHubSimulator::startDemo),
            new Entry(JenkinsProvider::new, JenkinsSimulator::startDemo),
            new Entry(GitLabProvider::new, GitLabSimulator::startDemo)
    );

    private final List<Provider> all;
    private final List<DemoEstate.Starter> demos;

    Providers(List<Entry> entries) {
        this.all = entries.stream().map(e -> e.provider().get()).toList();
        this.demos = entries.stream().map(Entry::demo).filter(java.util.Objects::nonNull).toList();
    }

    /** The standard providers, as a command line gets them. */
    static Providers standard() {
        return new Providers(STANDARD);
    }

    /** The simulators `demo` serves, in banner order. */
    List<DemoEstate.Starter> demos() {
        return demos;
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

    /** Hides every provider's credential values in this environment and every token shape of the bundled secret types. */
    Redactor redactor(Map<String, String> env) {
        return Redactor.forEnvironment(env, credentialVariables(), SecretTypes.bundled().valuePatterns());
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
