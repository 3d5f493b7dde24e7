package io.breachwalk.source.github.workflow;


import io.breachwalk.detect.ConfigParseException;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.StepHit;
import io.breachwalk.detect.config.CiFile;
import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.detect.config.JobReport;
import io.breachwalk.detect.config.JobResult;
import io.breachwalk.detect.shell.ShellGuard;
import io.breachwalk.detect.shell.ShellScan;
import io.breachwalk.detect.yaml.YNode;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.source.github.workflow.WorkflowModel.Hit;
import io.breachwalk.source.github.workflow.WorkflowModel.Job;
import io.breachwalk.source.github.workflow.WorkflowModel.ScopedSecret;
import io.breachwalk.source.github.workflow.WorkflowModel.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * `inspect`'s view of a GitHub Actions workflow: an adapter over the GitHub walk's {@link WorkflowAnalyzer}, so that
 * both read workflows the same way. It turns the analyzer's jobs into one {@link JobReport} per job key of the file
 * (the jobs of a called reusable workflow count for the calling job) and its scopes into the STEP/JOB name columns.
 */
public final class GitHubWorkflowReader implements ConfigReader {
    /** How the secrets columns name "every secret of the repository" (toJSON(secrets), dynamic secrets[...]). */
    static final String ALL_SECRETS = "all-secrets";

    @Override public String provider() { return "github-actions"; }

    @Override
    public boolean conventionalPath(String p) {
        return p.startsWith(".github/workflows/") && (p.endsWith(".yml") || p.endsWith(".yaml"));
    }

    @Override
    public boolean looksLike(String text, YNode y) {
        if (y == null || !y.isMap() || !y.get("jobs").isMap() || !(y.has("on") || y.has("true"))) return false;
        return y.get("jobs").map().values().stream().anyMatch(j -> j.has("runs-on") || j.has("steps") || j.has("uses"));
    }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) throws ConfigParseException {
        String path = file.displayPath();
        WorkflowModel.Workflow wf;
        try {
            wf = WorkflowAnalyzer.analyze(path, file.text(), normalised(lookup), ind);
        } catch (WorkflowAnalyzer.UnparsableWorkflowException e) {
            String m = e.getMessage();
            throw new ConfigParseException(m.startsWith(path + ": ") ? m.substring(path.length() + 2) : m);
        }
        Map<String, List<Job>> byKey = new LinkedHashMap<>();
        for (Job j : wf.jobs()) byKey.computeIfAbsent(j.fileKey(), k -> new ArrayList<>()).add(j);
        List<JobReport> out = new ArrayList<>();
        ShellScan scripts = new ShellScan(ind, lookup);
        for (var e : byKey.entrySet()) out.add(report(path, e.getKey(), e.getValue(), scripts));
        return out;
    }

    private JobReport report(String path, String key, List<Job> jobs, ShellScan scripts) {
        JobResult r = new JobResult(path, provider(), key);
        Set<String> step = new LinkedHashSet<>();
        Set<String> job = new LinkedHashSet<>();
        Set<String> unknownStep = new LinkedHashSet<>();
        Set<String> unknownJob = new LinkedHashSet<>();
        for (Job j : jobs) {
            // A reusable workflow's jobs are one step removed from this file: at most possible.
            boolean called = j.callerKey() != null;
            for (Step s : j.steps()) {
                if (s.neverRuns()) continue;
                if (s.hit() != null) {
                    r.hit(stepHit(s.hit(), called));
                    for (ScopedSecret sc : j.scope(s)) (sc.level() == ExposureLevel.STEP ? step : job).add(name(sc));
                }
                for (Hit h : s.related()) r.hit(stepHit(h, called));
                // A repository script this tree does not hold: its step's secrets are what it would have reached.
                List<ShellScan.Missing> missing = s.run() == null ? List.of() : scripts.missing(s.run(), ShellGuard.unknownEnv());
                for (ShellScan.Missing m : missing) {
                    r.hit(m.hit(j.file() + ":" + s.line()));
                }
                if (!missing.isEmpty()) {
                    for (ScopedSecret sc : j.scope(s)) (sc.level() == ExposureLevel.STEP ? unknownStep : unknownJob).add(name(sc));
                }
            }
        }
        if (!r.affected()) {
            step.addAll(unknownStep);
            job.addAll(unknownJob);
        }
        return r.stepSecrets(step).jobSecrets(job).report();
    }

    private static StepHit stepHit(Hit h, boolean called) {
        String evidence = h.location() + " " + h.text() + (h.via().isEmpty() ? "" : " -> " + h.via());
        return new StepHit(h.how(), h.affected(), h.possible() || called ? StepHit.POSSIBLE : StepHit.PROBABLE, evidence);
    }

    private static String name(ScopedSecret s) {
        return s.name().equals(WorkflowModel.ALL_SECRETS) ? ALL_SECRETS : s.name();
    }

    /** Inspect's lookup with paths normalised ("./a/../b" to "b"); empty for a path that leaves the tree. */
    private static FileLookup normalised(FileLookup lookup) {
        return new FileLookup() {
            @Override public Optional<String> read(String path) {
                String p = FileLookup.normalise(path);
                return p == null ? Optional.empty() : lookup.read(p);
            }

            @Override public Optional<String> readRemote(String repo, String ref, String path) {
                String p = FileLookup.normalise(path);
                return p == null ? Optional.empty() : lookup.readRemote(repo, ref, p);
            }
        };
    }
}
