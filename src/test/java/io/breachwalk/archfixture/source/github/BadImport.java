package io.breachwalk.archfixture.source.github;

import io.breachwalk.archfixture.report.Sheet;

/** Fixture for ArchitectureTest: a provider class that imports a report class, which the rules forbid. */
public final class BadImport {

    public String write() {
        return new Sheet().row(this);
    }
}
