package io.breachwalk.cli;

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

    /** How the reports speak of each provider, by provider name. */
    Map<String, ProviderTraits> traits() {
        Map<String, ProviderTraits> traits = new LinkedHashMap<>();
        all.forEach(p -> traits.put(p.name(), p.traits()));
        return traits;
    }
}
