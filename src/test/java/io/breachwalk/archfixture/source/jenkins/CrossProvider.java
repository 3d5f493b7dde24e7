package io.breachwalk.archfixture.source.jenkins;

import io.breachwalk.archfixture.source.github.BadImport;

/** Fixture for ArchitectureTest: one provider importing another, which the rules forbid. */
public final class CrossProvider {

    public String borrow() {
        return new BadImport().write();
    }
}
