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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * bitrise.yml: each workflow is a job (with its before_run/after_run workflows); steps are step references such as
 * "codecov@1.1.6" judged by version, or script steps scanned as shell. App env vars and secrets are in every step.
 */
public final class BitriseReader implements ConfigReader {
    @Override public String provider() { return "bitrise"; }

    @Override public boolean conventionalPath(String p) { return p.equals("bitrise.yml") || p.endsWith("/bitrise.yml"); }

    @Override
    public boolean looksLike(String text, YNode y) {
        return y != null && y.isMap() && y.get("workflows").isMap()
                && (y.has("format_version") || y.has("default_step_lib_source"));
    }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) throws ConfigParseException {
        YNode root = new SafeYaml().parse(file.text());
        List<JobReport> out = new ArrayList<>();
        ShellScan scan = new ShellScan(ind, lookup);
        for (Map.Entry<String, YNode> wf : root.get("workflows").map().entrySet()) {
            JobResult r = new JobResult(file.displayPath(), provider(), wf.getKey());
            Set<String> referenced = new LinkedHashSet<>();
            List<String> order = new ArrayList<>();
            order(root, wf.getKey(), order, 0);
            for (String name : order) {
                for (YNode step : Yaml.flat(root.get("workflows").get(name).get("steps"))) {
                    if (!step.isMap() || step.map().isEmpty()) continue;
                    String ref = step.map().keySet().iterator().next();
                    YNode body = step.get(ref);
                    ind.bitriseStep(ref).ifPresent(h -> r.hit(new StepHit(h.how(), h.affected(), h.possible() ? StepHit.POSSIBLE : StepHit.PROBABLE,
                            file.displayPath() + ":" + step.line() + " step " + ref)));
                    for (YNode input : Yaml.flat(body.get("inputs"))) {
                        for (Map.Entry<String, YNode> kv : input.map().entrySet()) {
                            if (!kv.getValue().isScalar()) continue;
                            referenced.addAll(SecretNames.shellRefs(kv.getValue().text()));
                            if (kv.getKey().equals("content")) {
                                r.hits(scan.scan(kv.getValue().text(), file.displayPath(), kv.getValue().firstTextLine(), ShellGuard.unknownEnv()));
                            }
                        }
                    }
                }
            }
            Set<String> secrets = new LinkedHashSet<>();
            secrets.add(SecretNames.PROJECT_LEVEL_ALL);
            secrets.addAll(referenced);
            out.add(r.stepSecrets(secrets).report());
        }
        return out;
    }

    /** before_run workflows, the workflow, after_run workflows. */
    private static void order(YNode root, String wf, List<String> out, int depth) {
        if (depth > 10 || out.contains(wf)) return;
        YNode w = root.get("workflows").get(wf);
        for (YNode b : Yaml.flat(w.get("before_run"))) order(root, b.text(""), out, depth + 1);
        out.add(wf);
        for (YNode a : Yaml.flat(w.get("after_run"))) order(root, a.text(""), out, depth + 1);
    }
}
