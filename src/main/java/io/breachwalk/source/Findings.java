package io.breachwalk.source;

import io.breachwalk.model.Exposure;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The walk's output, collected from any number of threads; the reports sort it, so arrival order does not matter. */
public final class Findings {

    private final List<JobFinding> jobs = new ArrayList<>();
    private final List<Exposure> exposures = new ArrayList<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();

    public synchronized void job(JobFinding job) {
        jobs.add(job);
    }

    public synchronized void exposure(Exposure exposure) {
        exposures.add(exposure);
    }

    public synchronized void gap(Gap gap) {
        gaps.add(gap);
    }

    public void request(String provider) {
        counters(provider).requests.incrementAndGet();
    }

    public void examinedProject(String provider) {
        counters(provider).projects.incrementAndGet();
    }

    public void examinedRun(String provider) {
        counters(provider).runs.incrementAndGet();
    }

    public void examinedJob(String provider) {
        counters(provider).jobs.incrementAndGet();
    }

    public synchronized List<JobFinding> jobs() {
        return List.copyOf(jobs);
    }

    public synchronized List<Exposure> exposures() {
        return List.copyOf(exposures);
    }

    public synchronized List<Gap> gaps() {
        return List.copyOf(gaps);
    }

    /** Per provider: projects, runs and jobs examined, API requests made. Sorted by provider. */
    public Map<String, Counts> counts() {
        Map<String, Counts> out = new TreeMap<>();
        counters.forEach((provider, c) -> out.put(provider,
                new Counts(c.projects.get(), c.runs.get(), c.jobs.get(), c.requests.get())));
        return out;
    }

    private Counters counters(String provider) {
        return counters.computeIfAbsent(provider, p -> new Counters());
    }

    public record Counts(long projects, long runs, long jobs, long requests) {
    }

    private static final class Counters {
        final AtomicLong projects = new AtomicLong();
        final AtomicLong runs = new AtomicLong();
        final AtomicLong jobs = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
    }
}
