package io.breachwalk.source;

import java.nio.file.Path;
import java.util.List;

/**
 * What the user asked to scan: the providers (each holding its own parsed flags), the concurrency and the output
 * folder. Credentials come from the environment, never from here.
 */
public record ScanOptions(List<Provider> providers, int concurrency, Path out) {

    /** More parallel requests than this is impolite to a CI server (GitHub's secondary limit counts concurrency). */
    public static final int MAX_CONCURRENCY = 16;

    public ScanOptions {
        providers = List.copyOf(providers);
        concurrency = Math.max(1, Math.min(MAX_CONCURRENCY, concurrency));
    }

    /** The providers whose flags asked for a walk, in the provider list's order. */
    public List<Provider> requested() {
        return providers.stream().filter(Provider::requested).toList();
    }
}
