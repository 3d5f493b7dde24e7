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
 * .buildkite/pipeline.yml: each command step is a job. Pipeline environment and secrets that agent hooks or plugins
 * export are in every command's environment; the file shows only the names it references.
 */
public final class BuildkiteReader implements ConfigReader {
    @Override public String provider() { return "buildkite"; }

    @Override
    public boolean conventionalPath(String p) {
        return p.startsWith(".buildkite/") && (p.endsWith(".yml") || p.endsWith(".yaml")) || p.equals("buildkite.yml");
    }

    @Override
    public boolean looksLike(String text, YNode y) {
        if (y == null || !y.isMap() || !y.get("steps").isSeq() || y.has("jobs") || y.has("pool")) return false;
        return y.get("steps").seq().stream().anyMatch(s -> s.has("command") || s.has("commands") || s.has("label")
                || s.has("wait") || s.has("block") || (s.isScalar() && "wait".equals(s.text())));
    }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) throws ConfigParseException {
        YNode root = new SafeYaml().parse(file.text());
        List<JobReport> out = new ArrayList<>();
        ShellScan scan = new ShellScan(ind, lookup);
        List<YNode> steps = new ArrayList<>();
        for (YNode s : Yaml.flat(root.get("steps"))) {
            if (s.has("group")) steps.addAll(Yaml.flat(s.get("steps"))); else steps.add(s);
        }
        int i = 0;
        for (YNode s : steps) {
            YNode cmds = s.has("command") ? s.get("command") : s.get("commands");
            if (!cmds.isPresent()) continue;
            String name = s.get("label").text(s.get("key").text("steps[" + i + "]"));
            i++;
            JobResult r = new JobResult(file.displayPath(), provider(), name);
            Set<String> secrets = new LinkedHashSet<>();
            secrets.add(SecretNames.PROJECT_LEVEL_ALL);
            for (YNode c : Yaml.flat(cmds)) {
                if (!c.isScalar()) continue;
                r.hits(scan.scan(c.text(), file.displayPath(), c.firstTextLine(), ShellGuard.unknownEnv()));
                secrets.addAll(SecretNames.shellRefs(c.text()));
            }
            for (YNode envs : List.of(root.get("env"), s.get("env"))) {
                for (Map.Entry<String, YNode> e : envs.map().entrySet()) if (SecretNames.looksSecret(e.getKey())) secrets.add(e.getKey());
            }
            out.add(r.stepSecrets(secrets).report());
        }
        return out;
    }
}
