package io.breachwalk.cli;

import io.breachwalk.source.SourceFactory;

import java.util.List;

/** The CI providers breachwalk can walk: adding a provider adds one line here. */
final class SourceRegistry {
    private SourceRegistry() {
    }

    static List<SourceFactory> factories() {
        return List.of(
                new io.breachwalk.source.github.GitHubSourceFactory(),
                new io.breachwalk.source.jenkins.JenkinsSourceFactory()
        );
    }
}
