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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * appveyor.yml: one job per environment.matrix entry; every script section runs in each. Project environment
 * variables (set in the AppVeyor UI) and "secure:" variables of the file are in every command's environment.
 */
public final class AppVeyorReader implements ConfigReader {
    private static final List<String> SECTIONS = List.of("init", "install", "before_build", "build_script", "after_build",
            "before_test", "test_script", "after_test", "on_success", "on_failure", "on_finish", "before_deploy",
            "deploy_script", "after_deploy");

    @Override public String provider() { return "appveyor"; }

    @Override
    public boolean conventionalPath(String p) {
        String base = p.substring(p.lastIndexOf('/') + 1);
        return base.equals("appveyor.yml") || base.equals(".appveyor.yml");
    }

    @Override
    public boolean looksLike(String text, YNode y) {
        if (y == null || !y.isMap()) return false;
        int score = 0;
        for (String k : List.of("build_script", "test_script", "before_build", "after_test", "on_success", "on_finish",
                "clone_folder", "clone_depth", "init", "image")) if (y.has(k)) score++;
        if (y.has("build") && (y.get("build").isMap() || "off".equals(y.get("build").text()))) score++;
        if (y.get("environment").has("matrix")) score++;
        return score >= 2;
    }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) throws ConfigParseException {
        YNode root = new SafeYaml().parse(file.text());
        YNode env = root.get("environment");
        List<YNode> matrix = Yaml.flat(env.get("matrix"));
        LinkedHashMap<String, YNode> global = new LinkedHashMap<>(env.map());
        global.remove("matrix");
        Set<String> controlled = new HashSet<>();
        matrix.forEach(m -> controlled.addAll(m.map().keySet()));
        List<JobReport> out = new ArrayList<>();
        ShellScan scan = new ShellScan(ind, lookup);
        int n = Math.max(1, matrix.size());
        for (int i = 0; i < n; i++) {
            YNode entry = matrix.isEmpty() ? YNode.missing() : matrix.get(i);
            String name = matrix.isEmpty() ? "default" : "environment.matrix[" + i + "]";
            Map<String, String> known = new LinkedHashMap<>();
            global.forEach((k, v) -> known.put(k, v.text("")));
            entry.map().forEach((k, v) -> known.put(k, v.text("")));
            JobResult r = new JobResult(file.displayPath(), provider(), name);
            Set<String> referenced = new LinkedHashSet<>();
            for (String section : SECTIONS) {
                for (YNode item : Yaml.flat(root.get(section))) {
                    YNode cmd = item.isScalar() ? item : firstScalar(item);
                    if (cmd == null) continue;
                    r.hits(scan.scan(cmd.text(), file.displayPath(), cmd.firstTextLine(), new ShellGuard(known, controlled)));
                    referenced.addAll(SecretNames.shellRefs(cmd.text()));
                }
            }
            Set<String> secrets = new LinkedHashSet<>();
            secrets.add(SecretNames.PROJECT_LEVEL_ALL);
            for (Map.Entry<String, YNode> e : global.entrySet()) if (e.getValue().has("secure")) secrets.add(e.getKey());
            for (Map.Entry<String, YNode> e : entry.map().entrySet()) if (e.getValue().has("secure")) secrets.add(e.getKey());
            for (String ref : referenced) if (!known.containsKey(ref)) secrets.add(ref);
            out.add(r.stepSecrets(secrets).report());
        }
        return out;
    }

    /** The command of "- cmd: ...", "- ps: ...", "- sh: ..." items. */
    private static YNode firstScalar(YNode item) {
        for (String k : List.of("cmd", "ps", "pwsh", "sh")) if (item.get(k).isScalar()) return item.get(k);
        return null;
    }
}
