package io.breachwalk.detect.config;

import io.breachwalk.detect.ScriptMatch;
import io.breachwalk.detect.Match;
import io.breachwalk.detect.IndicatorMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Interim reader for GitHub Actions workflows until io.breachwalk.source.github.WorkflowAnalyzer is on main; it is
 * meant to become an adapter over that analyzer's static entry point (path, text, file lookup).
 * STEP scope of the uploader: workflow, job and step env, its with: inputs, and secrets an earlier step exported
 * through $GITHUB_ENV (aws-actions/configure-aws-credentials does); every other secret the job references is JOB.
 */
public final class GitHubWorkflowReader implements ConfigReader {
    private static final Pattern LITERAL_FALSE = Pattern.compile("^\\s*(\\$\\{\\{\\s*)?false(\\s*}})?\\s*$");
    private static final Pattern CODECOVISH = Pattern.compile("(?i)codecov");

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
        YNode root = new SafeYaml().parse(file.text());
        List<JobReport> out = new ArrayList<>();
        Set<String> workflowEnv = secretsIn(root.get("env"));
        for (var e : root.get("jobs").map().entrySet()) {
            YNode job = e.getValue();
            JobResult r = new JobResult(file.displayPath(), provider(), e.getKey());
            Set<String> stepScope = new LinkedHashSet<>();
            Set<String> jobScope = new LinkedHashSet<>();
            Set<String> exported = new LinkedHashSet<>();
            Set<String> jobEnv = secretsIn(job.get("env"));
            jobScope.addAll(secretsIn(job.get("container")));
            jobScope.addAll(secretsIn(job.get("services")));
            if (job.get("uses").isScalar()) {
                r.hits(reusable(job, file, lookup, ind));
                stepScope.addAll(workflowEnv);
                stepScope.addAll(secretsIn(job.get("secrets")));
                stepScope.addAll(secretsIn(job.get("with")));
            }
            List<YNode> steps = Yaml.flat(job.get("steps"));
            for (YNode step : steps) {
                Set<String> own = new LinkedHashSet<>(secretsIn(step.get("env")));
                own.addAll(secretsIn(step.get("with")));
                own.addAll(secretsIn(step.get("run")));
                if (step.get("if").isScalar() && LITERAL_FALSE.matcher(step.get("if").text()).matches()) continue;
                List<StepHit> hits = stepHits(step, file, lookup, ind, 0);
                r.hits(hits);
                if (hits.stream().anyMatch(StepHit::affected)) {
                    stepScope.addAll(workflowEnv);
                    stepScope.addAll(jobEnv);
                    stepScope.addAll(exported);
                    stepScope.addAll(secretsIn(step.get("env")));
                    stepScope.addAll(secretsIn(step.get("with")));
                    stepScope.addAll(secretsIn(step.get("run")));
                } else {
                    jobScope.addAll(own);
                }
                exported.addAll(exportsToEnv(step));
            }
            out.add(r.stepSecrets(stepScope).jobSecrets(jobScope).report());
        }
        return out;
    }

    /** Secrets a step makes visible to later steps through $GITHUB_ENV. */
    private static Set<String> exportsToEnv(YNode step) {
        Set<String> out = new LinkedHashSet<>();
        String uses = step.get("uses").text("");
        if (uses.startsWith("aws-actions/configure-aws-credentials")) out.addAll(secretsIn(step.get("with")));
        String run = step.get("run").text("");
        for (String line : run.split("\n")) if (line.contains("GITHUB_ENV")) out.addAll(SecretNames.githubRefs(line));
        return out;
    }

    private static Set<String> secretsIn(YNode n) {
        Set<String> out = new LinkedHashSet<>();
        for (YNode s : n.scalars()) out.addAll(SecretNames.githubRefs(s.text()));
        return out;
    }

    private List<StepHit> stepHits(YNode step, CiFile file, FileLookup lookup, IndicatorMatcher ind, int depth) {
        List<StepHit> hits = new ArrayList<>();
        String where = file.displayPath();
        if (step.get("run").isScalar()) {
            hits.addAll(new ShellScan(ind, lookup).scan(step.get("run").text(), where, step.get("run").firstTextLine(), ShellGuard.unknownEnv()));
        }
        String uses = step.get("uses").text();
        if (uses == null) return hits;
        int line = step.get("uses").line();
        if (uses.startsWith("./") && depth < 3) {
            hits.addAll(localAction(uses, where, line, lookup, ind, depth));
            return hits;
        }
        if (uses.startsWith("docker://") || !uses.contains("@")) return hits;
        Optional<Match> match = ind.action(uses);
        if (match.isPresent() && !match.get().possible()) {
            Match h = match.get();
            hits.add(new StepHit(h.how(), h.affected(), StepHit.PROBABLE, where + ":" + line + " uses: " + uses));
            return hits;
        }
        hits.addAll(thirdParty(uses, match, where + ":" + line, lookup, ind));
        return hits;
    }

    /** A composite action of the same repository: its steps are part of the job. */
    private List<StepHit> localAction(String uses, String where, int line, FileLookup lookup, IndicatorMatcher ind, int depth) {
        List<StepHit> hits = new ArrayList<>();
        String dir = FileLookup.normalise(uses);
        Optional<String> action = dir == null ? Optional.empty() : lookup.read(dir + "/action.yml").or(() -> lookup.read(dir + "/action.yaml"));
        if (action.isEmpty()) return hits;
        try {
            YNode a = new SafeYaml().parse(action.get());
            for (YNode s : Yaml.flat(a.get("runs").get("steps"))) {
                for (StepHit h : stepHits(s, new CiFile(dir + "/action.yml", dir + "/action.yml", action.get()), lookup, ind, depth + 1)) {
                    hits.add(new StepHit(h.how(), h.affected(), h.confidence(), h.evidence() + " (local action used at " + where + ":" + line + ")"));
                }
            }
        } catch (ConfigParseException ignored) {
            // an unreadable local action shows as no finding; the workflow itself was read
        }
        return hits;
    }

    /**
     * A third-party action: followed where the lookup can read it (its action.yml, composite steps, docker
     * entrypoint script). When it cannot be read, the playbook's wrapper rule (a Codecov-named action) decides.
     */
    private List<StepHit> thirdParty(String uses, Optional<Match> wrapper, String at, FileLookup lookup, IndicatorMatcher ind) {
        String ref = uses.substring(uses.lastIndexOf('@') + 1);
        String[] parts = uses.substring(0, uses.lastIndexOf('@')).split("/");
        if (parts.length < 2) return List.of();
        String repo = parts[0] + "/" + parts[1];
        String sub = parts.length > 2 ? String.join("/", java.util.Arrays.copyOfRange(parts, 2, parts.length)) + "/" : "";
        Optional<String> action = lookup.readRemote(repo, ref, sub + "action.yml").or(() -> lookup.readRemote(repo, ref, sub + "action.yaml"));
        String how = wrapper.map(Match::how).orElse("wrapper-action:" + uses);
        if (action.isEmpty()) {
            return wrapper.map(h -> List.of(new StepHit(how, h.affected(), StepHit.POSSIBLE,
                    at + " uses: " + uses + " (third-party action not followed: " + h.detail() + ")"))).orElse(List.of());
        }
        List<String> texts = new ArrayList<>();
        texts.add(action.get());
        try {
            YNode a = new SafeYaml().parse(action.get());
            YNode runs = a.get("runs");
            for (YNode s : Yaml.flat(runs.get("steps"))) if (s.get("run").isScalar()) texts.add(s.get("run").text());
            if ("docker".equals(runs.get("using").text())) {
                String entry = FileLookup.normalise(runs.get("entrypoint").text("entrypoint.sh"));
                if (entry != null) lookup.readRemote(repo, ref, sub + entry).ifPresent(texts::add);
            }
        } catch (ConfigParseException ignored) {
            // judge the raw text only
        }
        for (String t : texts) {
            for (ScriptMatch h : ind.script(t)) {
                if (h.affected()) {
                    return List.of(new StepHit(how, true, StepHit.POSSIBLE, at + " uses: " + uses + "; followed to " + repo + "@" + ref
                            + ": " + ShellScan.clip(h.text())));
                }
            }
        }
        return wrapper.map(h -> List.of(new StepHit(how, false, "", at + " uses: " + uses + "; followed to " + repo + "@" + ref
                + ": no uploader found"))).orElse(List.of());
    }

    /** A job that calls a reusable workflow of the same repository: its jobs' findings count for this job. */
    private List<StepHit> reusable(YNode job, CiFile file, FileLookup lookup, IndicatorMatcher ind) {
        String uses = job.get("uses").text();
        if (!uses.startsWith("./")) {
            return CODECOVISH.matcher(uses).find() ? List.of(new StepHit("wrapper-workflow:" + uses, true, StepHit.POSSIBLE,
                    file.displayPath() + ":" + job.get("uses").line() + " reusable workflow " + uses + " not followed")) : List.of();
        }
        String path = FileLookup.normalise(uses);
        Optional<String> text = path == null ? Optional.empty() : lookup.read(path);
        List<StepHit> out = new ArrayList<>();
        if (text.isEmpty()) return out;
        try {
            for (JobReport jr : read(new CiFile(path, path, text.get()), lookup, ind)) {
                if (jr.usesIndicator()) out.add(new StepHit(jr.how(), true, StepHit.POSSIBLE, jr.evidence()));
            }
        } catch (ConfigParseException ignored) {
            // unreadable reusable workflow: nothing to add
        }
        return out;
    }
}
