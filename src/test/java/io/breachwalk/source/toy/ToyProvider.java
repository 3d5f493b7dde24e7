package io.breachwalk.source.toy;

import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.ProviderTraits;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.OfflineSource;
import io.breachwalk.source.Provider;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;

/**
 * A throwaway provider that lives only in the test tree: it shows that a new provider is a folder of its own plus one
 * line in `cli`'s provider list, with no edit to a shared file. Its server lists jobs as tab-separated lines.
 */
public final class ToyProvider implements Provider {

    /** `scan`'s toy flag. */
    public static final class Options {
        @Option(names = "--toy-url", paramLabel = "URL", order = 40, description = "scan the toy CI server at this URL")
        String url;
    }

    private final Options options = new Options();

    @Override public String name() { return ToySource.PROVIDER; }
    @Override public Object options() { return options; }
    @Override public String credentialHelp() { return "no credential"; }
    @Override public List<String> targetFlags() { return List.of("--toy-url"); }
    @Override public boolean requested() { return options.url != null; }

    @Override
    public List<String> targetWords() {
        return requested() ? List.of("--toy-url " + options.url) : List.of();
    }

    @Override
    public Map<String, Object> reportTargets() {
        return requested() ? Map.of("toy_url", options.url) : Map.of();
    }

    @Override public String resumeKey() { return String.valueOf(options.url); }
    @Override public CiSource<?> create(Map<String, String> env) { return new ToySource(options.url); }
    @Override public List<ConfigReader> configReaders() { return List.of(); }
    @Override public List<String> credentialVariables() { return List.of(); }
    @Override public ProviderTraits traits() { return ProviderTraits.generic(name()); }

    /** The toy keeps no evidence, so offline there is nothing to judge again. */
    @Override
    public CiSource<?> offline(EvidenceStore store, List<EvidenceRecord> records) {
        return new OfflineSource(ToySource.PROVIDER, "toy projects (offline)", records, unit -> false,
                ctx -> (unit, sink, pool) -> { });
    }
}
