package io.breachwalk.sim.jenkins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Decides which requests fail and how. The decision for the k-th request to a given path+query is a pure function of
 * (seed, path+query, k), so a run with several threads fails on the same requests as a run with one.
 */
final class FaultInjector {

    enum Kind { TOO_MANY_REQUESTS, UNAVAILABLE, SERVER_ERROR, RESET, SLOW, TRUNCATE }

    record Fault(Kind kind, int retryAfterSeconds, int slowMillis) { }

    private record Rule(Pattern path, Kind kind, int times, AtomicInteger used) { }

    private final long seed;
    private final double rate;
    private final List<Kind> kinds = new ArrayList<>();
    private final int retryAfter;
    private final int slowMillis;
    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

    FaultInjector(JenkinsEstate.Faults f) {
        this.seed = f == null || f.seed() == null ? 0 : f.seed();
        this.rate = f == null || f.rate() == null ? 0 : f.rate();
        this.retryAfter = f == null || f.retryAfterSeconds() == null ? 1 : f.retryAfterSeconds();
        this.slowMillis = f == null || f.slowMillis() == null ? 500 : f.slowMillis();
        if (f != null && f.kinds() != null) f.kinds().forEach(k -> kinds.add(kind(k)));
        if (kinds.isEmpty()) kinds.add(Kind.UNAVAILABLE);
        if (f != null && f.rules() != null) {
            for (JenkinsEstate.Faults.Rule r : f.rules()) {
                rules.add(new Rule(Pattern.compile(r.path()), kind(r.kind()), r.times() == null ? 1 : r.times(),
                        new AtomicInteger()));
            }
        }
    }

    static Kind kind(String k) {
        return switch (k) {
            case "429" -> Kind.TOO_MANY_REQUESTS;
            case "503" -> Kind.UNAVAILABLE;
            case "500", "5xx" -> Kind.SERVER_ERROR;
            case "reset" -> Kind.RESET;
            case "slow" -> Kind.SLOW;
            case "truncate" -> Kind.TRUNCATE;
            default -> throw new IllegalArgumentException("unknown fault kind " + k);
        };
    }

    /** The fault for this request, or null. */
    Fault decide(String pathAndQuery) {
        for (Rule r : rules) {
            if (r.path.matcher(pathAndQuery).find() && r.used.getAndIncrement() < r.times) {
                return new Fault(r.kind, retryAfter, slowMillis);
            }
        }
        if (rate <= 0) return null;
        int k = seen.computeIfAbsent(pathAndQuery, x -> new AtomicInteger()).getAndIncrement();
        long h = mix(seed ^ mix(pathAndQuery.hashCode()) ^ mix(k + 0x9E3779B97F4A7C15L));
        double u = (h >>> 11) / (double) (1L << 53);
        if (u >= rate) return null;
        Kind kind = kinds.get((int) Math.floorMod(mix(h), kinds.size()));
        return new Fault(kind, retryAfter, slowMillis);
    }

    /** SplitMix64 finaliser: a cheap, well-spread hash. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
