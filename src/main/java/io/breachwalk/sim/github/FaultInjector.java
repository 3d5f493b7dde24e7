package io.breachwalk.sim.github;

import io.breachwalk.sim.github.Estate.FaultRule;
import io.breachwalk.sim.github.Estate.Faults;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Decides which requests fail and how. Rules come first (the first {@code times} requests whose path and query match
 * fail with that kind); then random faults at {@code rate}, decided by (seed, method, URL, the how-many-th request
 * for that URL) so that the same client behaviour meets the same faults whatever the thread interleaving.
 */
final class FaultInjector {
    /** Answers that are not what GitHub promises, served with a correct-looking status (see {@link Malformed}). */
    static final List<String> MALFORMED = List.of("html-200", "json-truncated", "json-list-object", "json-id-string",
            "json-count-negative", "json-count-huge", "json-steps-null", "json-bad-times", "binary-content");
    static final List<String> KINDS = java.util.stream.Stream.concat(
            Stream.of("500", "502", "503", "reset", "slow", "truncated", "secondary-403", "secondary-429", "rate-limit"),
            MALFORMED.stream()).toList();

    private volatile Faults config;
    private volatile List<Pattern> rulePatterns;
    private volatile AtomicIntegerArray ruleHits;
    private volatile Pattern match;
    private final Map<String, Integer> occurrences = new ConcurrentHashMap<>();

    FaultInjector(Faults config) {
        configure(config);
    }

    synchronized void configure(Faults c) {
        Faults f = c == null ? Faults.none() : c;
        for (String k : f.kinds()) {
            check(k);
        }
        f.rules().forEach(r -> check(r.kind()));
        this.rulePatterns = f.rules().stream().map(r -> Pattern.compile(r.match())).toList();
        this.ruleHits = new AtomicIntegerArray(f.rules().size());
        this.match = f.match() == null ? null : Pattern.compile(f.match());
        this.occurrences.clear();
        this.config = f;
    }

    private static void check(String kind) {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown fault kind " + kind + "; known: " + KINDS);
        }
    }

    long slowMillis() {
        return config.slowMillis();
    }

    int retryAfter() {
        return config.retryAfterSeconds();
    }

    /** The fault for this request, or null. */
    String decide(String method, String path, String query) {
        Faults f = config;
        String url = query == null ? path : path + "?" + query;
        List<FaultRule> rules = f.rules();
        for (int i = 0; i < rules.size(); i++) {
            if (rulePatterns.get(i).matcher(url).find()) {
                int hit = ruleHits.getAndIncrement(i);
                if (hit < rules.get(i).times()) {
                    return rules.get(i).kind();
                }
            }
        }
        if (f.rate() <= 0 || f.kinds().isEmpty() || (match != null && !match.matcher(url).find())) {
            return null;
        }
        int n = occurrences.merge(method + " " + url, 1, Integer::sum);
        long mix = f.seed() * 0x9E3779B97F4A7C15L + (method + " " + url).hashCode() * 0xBF58476D1CE4E5B9L + n;
        SplittableRandom random = new SplittableRandom(mix);
        if (random.nextDouble() >= f.rate()) {
            return null;
        }
        return f.kinds().get(random.nextInt(f.kinds().size()));
    }
}
