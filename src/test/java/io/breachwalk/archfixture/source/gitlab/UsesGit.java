package io.breachwalk.archfixture.source.gitlab;

import io.breachwalk.archfixture.source.git.Clone;

/** Fixture for ArchitectureTest: a provider using the shared git folder, which the rules allow. */
public final class UsesGit {

    public String head() {
        return new Clone().head();
    }
}
