package io.breachwalk.source;

import java.util.Map;
import java.util.Optional;

/** Builds a provider's source from the scan options when they ask for it (e.g. `--jenkins-url` given). */
public interface SourceFactory {
    Optional<CiSource> create(ScanOptions options, Map<String, String> env) throws SourceException;
}
