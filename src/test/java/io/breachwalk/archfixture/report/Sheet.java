package io.breachwalk.archfixture.report;

import io.breachwalk.archfixture.source.github.BadImport;

/** Fixture for ArchitectureTest: a report class that reads a provider's class back, closing a cycle. */
public final class Sheet {

    public String row(BadImport walk) {
        return walk.toString();
    }
}
