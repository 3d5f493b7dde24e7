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
import java.util.Optional;
import java.util.Set;

/**
 * azure-pipelines.yml: stages, jobs and steps, with templates from the same repository expanded (paths relative to
 * the including file) and template expressions (${{ if }}, ${{ each }}) read conservatively: what they insert may run.
 * Templates from other repositories are followed when the lookup can read them and reported as "possible".
 * Secret variables reach a step only through its env: mapping or $(NAME) macros in its script.
 */
public final class AzurePipelinesReader implements ConfigReader {
    private static final Set<String> SCRIPT_KEYS = Set.of("script", "bash", "powershell", "pwsh");

    @Override public String provider() { return "azure-pipelines"; }

    @Override
    public boolean conventionalPath(String p) {
        String base = p.substring(p.lastIndexOf('/') + 1);
        return base.equals("azure-pipelines.yml") || base.equals(".azure-pipelines.yml") || p.startsWith(".azure-pipelines/");
    }

    @Override
    public boolean looksLike(String text, YNode y) {
        if (y == null || !y.isMap()) return false;
        if (y.get("stages").isSeq() && y.get("stages").seq().stream().anyMatch(s -> s.has("stage") || isExpr(s))) return true;
        if (y.get("jobs").isSeq() && y.get("jobs").seq().stream().anyMatch(j -> j.has("job") || j.has("template") || j.has("deployment"))) return true;
        boolean azureSteps = y.get("steps").isSeq() && y.get("steps").seq().stream().anyMatch(s -> s.has("task") || s.has("bash") || s.has("pwsh")
                || (s.has("script") && s.has("displayName")));
        return azureSteps || (y.has("pool") && y.has("steps")) || (y.has("trigger") && y.has("pr") && (y.has("jobs") || y.has("steps")));
    }

    private record Ctx(CiFile file, FileLookup lookup, IndicatorMatcher ind, Map<String, String> repos, List<JobReport> out) { }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) throws ConfigParseException {
        YNode root = new SafeYaml().parse(file.text());
        Map<String, String> repos = new LinkedHashMap<>();
        for (YNode r : Yaml.flat(root.get("resources").get("repositories"))) {
            repos.put(r.get("repository").text(""), r.get("name").text("") + "@" + r.get("ref").text(""));
        }
        Ctx ctx = new Ctx(file, lookup, ind, repos, new ArrayList<>());
        if (root.has("stages")) {
            for (YNode stage : spliced(root.get("stages"))) {
                if (stage.has("template")) {
                    templateStage(stage, file.repoDir(), "", ctx, 0);
                    continue;
                }
                jobs(stage.get("jobs"), stage.get("stage").text("stage") + "/", file.repoDir(), file.displayPath(), ctx, 0);
            }
        } else if (root.has("jobs")) {
            jobs(root.get("jobs"), "", file.repoDir(), file.displayPath(), ctx, 0);
        } else if (root.has("steps")) {
            ctx.out().add(job("Job", root, file.displayPath(), file.repoDir(), ctx, 0));
        }
        return ctx.out();
    }

    private void templateStage(YNode ref, String dir, String prefix, Ctx ctx, int depth) throws ConfigParseException {
        Optional<YNode> t = localTemplate(ref.get("template").text(""), dir, ctx);
        if (t.isPresent() && depth < 5) {
            for (YNode stage : spliced(t.get().get("stages"))) {
                jobs(stage.get("jobs"), prefix + stage.get("stage").text("stage") + "/", dirOf(ref.get("template").text(""), dir),
                        templatePath(ref.get("template").text(""), dir), ctx, depth + 1);
            }
        } else {
            ctx.out().add(remoteTemplate(ref, prefix, ctx));
        }
    }

    private void jobs(YNode jobsNode, String prefix, String dir, String where, Ctx ctx, int depth) throws ConfigParseException {
        for (YNode j : spliced(jobsNode)) {
            if (j.has("template")) {
                String tpl = j.get("template").text("");
                Optional<YNode> t = localTemplate(tpl, dir, ctx);
                if (t.isPresent() && depth < 5) {
                    String tdir = dirOf(tpl, dir);
                    YNode body = t.get();
                    if (body.has("jobs")) jobs(body.get("jobs"), prefix, tdir, templatePath(tpl, dir), ctx, depth + 1);
                    else if (body.has("steps")) ctx.out().add(job(prefix + "template:" + tpl, body, templatePath(tpl, dir), tdir, ctx, depth + 1));
                } else {
                    ctx.out().add(remoteTemplate(j, prefix, ctx));
                }
            } else if (j.has("job") || j.has("deployment")) {
                String name = j.has("job") ? j.get("job").text("Job") : j.get("deployment").text("Deployment");
                ctx.out().add(job(prefix + name, j, where, dir, ctx, depth));
            }
        }
    }

    private JobReport job(String name, YNode j, String where, String dir, Ctx ctx, int depth) throws ConfigParseException {
        JobResult r = new JobResult(ctx.file().displayPath(), provider(), name);
        List<YNode> steps = new ArrayList<>();
        collectSteps(j, dir, ctx, steps, depth);
        ShellScan scan = new ShellScan(ctx.ind(), ctx.lookup());
        Set<String> step = new LinkedHashSet<>();
        Set<String> other = new LinkedHashSet<>();
        for (YNode s : steps) {
            Set<String> own = stepSecrets(s);
            List<StepHit> hits = new ArrayList<>();
            for (String k : SCRIPT_KEYS) {
                if (s.get(k).isScalar()) hits.addAll(scan.scan(s.get(k).text(), where, s.get(k).firstTextLine(), ShellGuard.unknownEnv()));
            }
            YNode inputs = s.get("inputs");
            if (s.has("task") && inputs.get("script").isScalar()) {
                hits.addAll(scan.scan(inputs.get("script").text(), where, inputs.get("script").firstTextLine(), ShellGuard.unknownEnv()));
            }
            if (s.has("task") && inputs.get("filePath").isScalar()) {
                hits.addAll(scan.scan("bash " + inputs.get("filePath").text(), where, inputs.get("filePath").line(), ShellGuard.unknownEnv()));
            }
            if (hits.stream().anyMatch(StepHit::affected)) step.addAll(own); else other.addAll(own);
            r.hits(hits);
        }
        return r.stepSecrets(step).jobSecrets(other).report();
    }

    /** Steps of a job (or a deployment's strategy), with step templates from the same repository expanded. */
    private void collectSteps(YNode n, String dir, Ctx ctx, List<YNode> out, int depth) throws ConfigParseException {
        if (depth > 8) return;
        if (n.isMap()) {
            for (Map.Entry<String, YNode> e : n.map().entrySet()) {
                if (e.getKey().equals("steps")) {
                    for (YNode s : spliced(e.getValue())) {
                        if (s.has("template")) {
                            Optional<YNode> t = localTemplate(s.get("template").text(""), dir, ctx);
                            if (t.isPresent()) collectSteps(t.get(), dirOf(s.get("template").text(""), dir), ctx, out, depth + 1);
                        } else {
                            out.add(s);
                        }
                    }
                } else if (e.getValue().isMap() && (e.getKey().equals("strategy") || e.getKey().startsWith("runOnce")
                        || e.getKey().equals("deploy") || e.getKey().equals("rolling") || e.getKey().equals("canary") || isExprKey(e.getKey()))) {
                    collectSteps(e.getValue(), dir, ctx, out, depth + 1);
                }
            }
        }
    }

    /** Names of secrets a step receives: $(NAME) in its env mapping values and script. */
    private static Set<String> stepSecrets(YNode s) {
        Set<String> out = new LinkedHashSet<>();
        for (YNode v : envOf(s)) out.addAll(SecretNames.macroRefs(v.text()));
        for (String k : SCRIPT_KEYS) out.addAll(SecretNames.macroRefs(s.get(k).text()));
        out.addAll(SecretNames.macroRefs(s.get("inputs").get("script").text()));
        return out;
    }

    private static List<YNode> envOf(YNode s) {
        List<YNode> vals = new ArrayList<>(s.get("env").scalars());
        for (Map.Entry<String, YNode> e : s.map().entrySet()) if (isExprKey(e.getKey())) vals.addAll(e.getValue().get("env").scalars());
        return vals;
    }

    /** A template from another repository: followed when readable, else judged by its parameters. */
    private JobReport remoteTemplate(YNode ref, String prefix, Ctx ctx) throws ConfigParseException {
        String tpl = ref.get("template").text("");
        JobResult r = new JobResult(ctx.file().displayPath(), provider(), prefix + "template:" + tpl);
        int at = tpl.indexOf('@');
        String where = ctx.file().displayPath() + ":" + ref.get("template").line();
        if (at > 0) {
            String repo = ctx.repos().getOrDefault(tpl.substring(at + 1), "");
            String name = repo.contains("@") ? repo.substring(0, repo.indexOf('@')) : repo;
            String gitRef = repo.contains("@") ? repo.substring(repo.indexOf('@') + 1) : "";
            Optional<String> text = name.isEmpty() ? Optional.empty() : ctx.lookup().readRemote(name, gitRef, tpl.substring(0, at));
            if (text.isPresent()) {
                YNode t = new SafeYaml().parse(text.get());
                List<StepHit> hits = new ArrayList<>();
                Set<String> secrets = new LinkedHashSet<>();
                scanTemplate(t, name + "/" + tpl.substring(0, at), ctx, hits, secrets);
                for (StepHit h : hits) {
                    r.hit(new StepHit(h.affected() ? "template:" + tpl : h.how(), h.affected(), StepHit.POSSIBLE,
                            h.evidence() + " (template used at " + where + ")"));
                }
                return r.stepSecrets(secrets).report();
            }
        }
        boolean codecovParam = ref.get("parameters").scalars().stream().anyMatch(s -> s.text().toLowerCase().contains("codecov"));
        if (codecovParam) {
            r.hit(new StepHit("template:" + tpl, true, StepHit.POSSIBLE, where + " template " + tpl
                    + " not followed; its parameters ask for codecov"));
        } else {
            r.note(where + " template " + tpl + " not followed");
        }
        return r.report();
    }

    /** Every step-like map in a template we cannot expand: its scripts and the env it maps. */
    private void scanTemplate(YNode n, String where, Ctx ctx, List<StepHit> hits, Set<String> secrets) {
        ShellScan scan = new ShellScan(ctx.ind(), FileLookup.NONE);
        if (n.isMap()) {
            List<StepHit> own = new ArrayList<>();
            for (String k : SCRIPT_KEYS) if (n.get(k).isScalar()) own.addAll(scan.scan(n.get(k).text(), where, n.get(k).firstTextLine(), ShellGuard.unknownEnv()));
            if (n.get("inputs").get("script").isScalar()) own.addAll(scan.scan(n.get("inputs").get("script").text(), where,
                    n.get("inputs").get("script").firstTextLine(), ShellGuard.unknownEnv()));
            if (own.stream().anyMatch(StepHit::affected)) {
                for (YNode v : envOf(n)) secrets.addAll(SecretNames.macroRefs(v.text()));
            }
            hits.addAll(own);
            for (Map.Entry<String, YNode> e : n.map().entrySet()) {
                if (!SCRIPT_KEYS.contains(e.getKey()) && !e.getKey().equals("inputs")) scanTemplate(e.getValue(), where, ctx, hits, secrets);
            }
        } else if (n.isSeq()) {
            n.seq().forEach(c -> scanTemplate(c, where, ctx, hits, secrets));
        }
    }

    private Optional<YNode> localTemplate(String tpl, String dir, Ctx ctx) throws ConfigParseException {
        if (tpl.isEmpty() || (tpl.contains("@") && !tpl.endsWith("@self"))) return Optional.empty();
        String p = tpl.replaceFirst("@self$", "");
        String path = p.startsWith("/") ? FileLookup.normalise(p) : FileLookup.normalise(dir.isEmpty() ? p : dir + "/" + p);
        if (path == null) return Optional.empty();
        Optional<String> text = ctx.lookup().read(path);
        if (text.isEmpty()) return Optional.empty();
        return Optional.of(new SafeYaml().parse(text.get()));
    }

    private static String templatePath(String tpl, String dir) {
        String p = tpl.replaceFirst("@self$", "");
        String full = p.startsWith("/") ? FileLookup.normalise(p) : FileLookup.normalise(dir.isEmpty() ? p : dir + "/" + p);
        return full == null ? tpl : full;
    }

    private static String dirOf(String tpl, String dir) {
        String p = tpl.replaceFirst("@self$", "");
        String full = p.startsWith("/") ? FileLookup.normalise(p) : FileLookup.normalise(dir.isEmpty() ? p : dir + "/" + p);
        if (full == null) return dir;
        int i = full.lastIndexOf('/');
        return i < 0 ? "" : full.substring(0, i);
    }

    /** Items of a list with "- ${{ if ... }}:" / "${{ each }}" insertions spliced in (they may apply). */
    static List<YNode> spliced(YNode list) {
        List<YNode> out = new ArrayList<>();
        for (YNode item : Yaml.flat(list)) {
            if (isExpr(item)) {
                for (YNode v : item.map().values()) out.addAll(spliced(v));
            } else {
                out.add(item);
            }
        }
        return out;
    }

    static boolean isExpr(YNode item) {
        return item.isMap() && item.map().size() == 1 && isExprKey(item.map().keySet().iterator().next());
    }

    static boolean isExprKey(String k) { return k.startsWith("${{"); }
}
