package io.breachwalk.archfixture.source.git;

/** Fixture for ArchitectureTest: the shared local-clone folder, which every provider may use. */
public final class Clone {

    public String head() {
        return "HEAD";
    }
}
