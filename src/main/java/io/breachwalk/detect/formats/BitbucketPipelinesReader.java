package io.breachwalk.detect.formats;

import io.breachwalk.detect.ConfigParseException;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
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
 * bitbucket-pipelines.yml: every step of every pipeline (default, branches, pull-requests, tags, custom) runs in its
 * own container and is reported as a job. Repository, workspace and deployment variables are in every step.
 */
public final class BitbucketPipelinesReader implements ConfigReader {
    @Override public String provider() { return "bitbucket-pipelines"; }

    @Override public boolean conventionalPath(String p) { return p.equals("bitbucket-pipelines.yml") || p.endsWith("/bitbucket-pipelines.yml"); }

    @Override
    public boolean looksLike(String text, YNode y) {
        return y != null && y.isMap() && y.get("pipelines").isMap() && (y.get("pipelines").has("default")
                || y.get("pipelines").has("branches") || y.get("pipelines").has("pull-requests")
                || y.get("pipelines").has("tags") || y.get("pipelines").has("custom"));
    }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) throws ConfigParseException {
        YNode root = new SafeYaml().parse(file.text());
        List<JobReport> out = new ArrayList<>();
        YNode p = root.get("pipelines");
        if (p.has("default")) steps(p.get("default"), "default", file, lookup, ind, out);
        for (String group : List.of("branches", "pull-requests", "tags", "custom")) {
            for (Map.Entry<String, YNode> e : p.get(group).map().entrySet()) steps(e.getValue(), group + "/" + e.getKey(), file, lookup, ind, out);
        }
        return out;
    }

    private void steps(YNode list, String pipeline, CiFile file, FileLookup lookup, IndicatorMatcher ind, List<JobReport> out) {
        List<YNode> steps = new ArrayList<>();
        for (YNode item : Yaml.flat(list)) {
            if (item.has("step")) steps.add(item.get("step"));
            else if (item.has("parallel")) {
                YNode par = item.get("parallel");
                for (YNode s : Yaml.flat(par.isMap() ? par.get("steps") : par)) if (s.has("step")) steps.add(s.get("step"));
            }
        }
        ShellScan scan = new ShellScan(ind, lookup);
        for (int i = 0; i < steps.size(); i++) {
            YNode step = steps.get(i);
            String name = pipeline + "/" + (step.get("name").isScalar() ? step.get("name").text() : "step[" + i + "]");
            JobResult r = new JobResult(file.displayPath(), provider(), name);
            Set<String> secrets = new LinkedHashSet<>();
            secrets.add(SecretNames.PROJECT_LEVEL_ALL);
            for (String part : List.of("script", "after-script")) {
                for (YNode cmd : Yaml.flat(step.get(part))) {
                    if (cmd.isScalar()) {
                        r.hits(scan.scan(cmd.text(), file.displayPath(), cmd.firstTextLine(), ShellGuard.unknownEnv()));
                        secrets.addAll(SecretNames.shellRefs(cmd.text()));
                    } else if (cmd.has("pipe")) {
                        for (YNode v : cmd.get("variables").scalars()) secrets.addAll(SecretNames.shellRefs(v.text()));
                    }
                }
            }
            out.add(r.stepSecrets(secrets).report());
        }
    }
}
