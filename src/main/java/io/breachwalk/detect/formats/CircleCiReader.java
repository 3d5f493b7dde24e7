package io.breachwalk.detect.formats;

import io.breachwalk.detect.ConfigParseException;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.StepHit;
import io.breachwalk.detect.config.CiFile;
import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.detect.config.JobReport;
import io.breachwalk.detect.config.JobResult;
import io.breachwalk.detect.config.SecretNames;
import io.breachwalk.detect.shell.ShellGuard;
import io.breachwalk.detect.shell.ShellScan;
import io.breachwalk.detect.yaml.SafeYaml;
import io.breachwalk.detect.yaml.YNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * .circleci/config.yml: jobs run when a workflow lists them (or "build" without workflows); steps expand reusable
 * commands; orb commands are judged by the orb's version. Every project variable, and every variable of the
 * contexts the workflows attach, is in every step's environment.
 */
public final class CircleCiReader implements ConfigReader {
    private static final Set<String> BUILTIN_STEPS = Set.of("checkout", "setup_remote_docker", "save_cache",
            "restore_cache", "store_artifacts", "store_test_results", "persist_to_workspace", "attach_workspace",
            "add_ssh_keys", "deploy");

    @Override public String provider() { return "circleci"; }

    @Override public boolean conventionalPath(String p) { return p.equals(".circleci/config.yml") || p.endsWith("/.circleci/config.yml"); }

    @Override
    public boolean looksLike(String text, YNode y) {
        if (y == null || !y.isMap() || !y.get("jobs").isMap()) return false;
        if (y.has("orbs") || y.has("executors") || y.has("commands")) return true;
        boolean circleJob = y.get("jobs").map().values().stream().anyMatch(j -> j.isMap() && j.has("steps")
                && (j.has("docker") || j.has("machine") || j.has("macos") || j.has("executor")));
        return circleJob && (y.has("version") || y.has("workflows"));
    }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) throws ConfigParseException {
        YNode root = new SafeYaml().parse(file.text());
        Map<String, String> orbs = new LinkedHashMap<>();
        root.get("orbs").map().forEach((alias, ref) -> { if (ref.isScalar()) orbs.put(alias, ref.text()); });

        // Which jobs run, and with which contexts.
        Map<String, Set<String>> contexts = new LinkedHashMap<>();
        boolean hasWorkflows = root.get("workflows").isMap();
        if (hasWorkflows) {
            for (YNode wf : root.get("workflows").map().values()) {
                for (YNode entry : Yaml.flat(wf.get("jobs"))) {
                    String name = entry.isScalar() ? entry.text() : entry.isMap() && !entry.map().isEmpty()
                            ? entry.map().keySet().iterator().next() : null;
                    if (name == null) continue;
                    Set<String> ctx = contexts.computeIfAbsent(name, k -> new LinkedHashSet<>());
                    if (entry.isMap()) for (YNode c : Yaml.flat(entry.get(name).get("context"))) ctx.add("context: " + c.text());
                }
            }
        } else {
            contexts.put("build", new LinkedHashSet<>());
        }

        List<JobReport> out = new ArrayList<>();
        ShellScan scan = new ShellScan(ind, lookup);
        for (Map.Entry<String, YNode> e : root.get("jobs").map().entrySet()) {
            String name = e.getKey();
            YNode job = e.getValue();
            JobResult r = new JobResult(file.displayPath(), provider(), name);
            if (!contexts.containsKey(name)) {
                out.add(r.note("job " + name + " is not in any workflow").report());
                continue;
            }
            List<Step> steps = new ArrayList<>();
            expand(job.get("steps"), root, orbs, steps, 0);
            Set<String> stepSecrets = new LinkedHashSet<>();
            stepSecrets.add(SecretNames.PROJECT_LEVEL_ALL);
            stepSecrets.addAll(contexts.get(name));
            YNode executor = job.get("executor");
            String execName = executor.isScalar() ? executor.text() : executor.get("name").text("");
            for (YNode env : List.of(job.get("environment"), root.get("executors").get(execName).get("environment"))) {
                for (String k : Yaml.envAssignments(env).keySet()) if (SecretNames.looksSecret(k)) stepSecrets.add(k);
            }
            Set<String> referenced = new LinkedHashSet<>();
            Set<String> otherStepEnv = new LinkedHashSet<>();
            List<Set<String>> perStepEnv = new ArrayList<>();
            for (Step s : steps) {
                Set<String> own = new LinkedHashSet<>();
                for (String k : Yaml.envAssignments(s.env()).keySet()) if (SecretNames.looksSecret(k)) own.add(k);
                perStepEnv.add(own);
                if (s.orbRef() != null) {
                    ind.orb(s.orbRef()).ifPresent(h -> r.hit(new StepHit(h.how(), h.affected(), h.possible() ? StepHit.POSSIBLE : StepHit.PROBABLE,
                            file.displayPath() + ":" + s.line() + " orb " + s.orbRef() + " step " + s.label())));
                } else if (s.command() != null) {
                    List<StepHit> hits = scan.scan(s.command(), file.displayPath(), s.line(), ShellGuard.unknownEnv());
                    if (hits.stream().anyMatch(StepHit::affected)) stepSecrets.addAll(own); else otherStepEnv.addAll(own);
                    r.hits(hits);
                    referenced.addAll(SecretNames.shellRefs(s.command()));
                }
            }
            // Project and context variables are in every step; names the file shows are listed besides "all".
            stepSecrets.addAll(referenced);
            out.add(r.stepSecrets(stepSecrets).jobSecrets(otherStepEnv).report());
        }
        return out;
    }

    private record Step(String command, String orbRef, YNode env, int line, String label) { }

    /** Flattens a job's steps: run steps, when/unless branches (both may run), reusable commands, orb commands. */
    private void expand(YNode stepsNode, YNode root, Map<String, String> orbs, List<Step> out, int depth) {
        if (depth > 10) return;
        for (YNode s : Yaml.flat(stepsNode)) {
            String key;
            YNode body;
            if (s.isScalar()) { key = s.text(); body = YNode.missing(); }
            else if (s.isMap() && !s.map().isEmpty()) { key = s.map().keySet().iterator().next(); body = s.get(key); }
            else continue;
            if (key.equals("run")) {
                String cmd = body.isScalar() ? body.text() : body.get("command").text();
                YNode cmdNode = body.isScalar() ? body : body.get("command");
                if (cmd != null) out.add(new Step(cmd, null, body.get("environment"), cmdNode.firstTextLine(), body.get("name").text("run")));
            } else if (key.equals("when") || key.equals("unless")) {
                expand(body.get("steps"), root, orbs, out, depth + 1);
            } else if (BUILTIN_STEPS.contains(key)) {
                continue;
            } else if (key.contains("/")) {
                String alias = key.substring(0, key.indexOf('/'));
                String ref = orbs.get(alias);
                if (ref != null) out.add(new Step(null, ref, YNode.missing(), s.line(), key));
            } else if (root.get("commands").get(key).isMap()) {
                expand(root.get("commands").get(key).get("steps"), root, orbs, out, depth + 1);
            }
        }
    }
}
