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
import java.util.Optional;
import java.util.Set;

/**
 * .travis.yml: root matrix expansion and jobs.include (or matrix.include) entries; each job takes the root phases
 * unless it overrides them. Local import: files are merged under the importing file.
 * Every repository-settings variable is in every job's environment (project-level: all).
 */
public final class TravisReader implements ConfigReader {
    static final List<String> PHASES = List.of("before_install", "install", "before_script", "script", "after_success",
            "after_failure", "after_script", "before_deploy", "after_deploy", "before_cache");
    private static final List<String> EXPANSION_KEYS = List.of("python", "go", "node_js", "ruby", "jdk", "php", "rust",
            "scala", "perl", "dart", "elixir", "r", "julia", "os", "dist", "compiler", "arch", "osx_image", "rvm", "gemfile");

    @Override public String provider() { return "travis-ci"; }

    @Override public boolean conventionalPath(String p) { return p.equals(".travis.yml") || p.endsWith("/.travis.yml"); }

    @Override
    public boolean looksLike(String text, YNode y) {
        if (y == null || !y.isMap()) return false;
        if (y.has("jobs") && y.get("jobs").isMap() && !y.get("jobs").has("include")) return false;
        int score = 0;
        for (String k : List.of("language", "dist", "sudo", "before_install", "after_success", "matrix", "addons",
                "install", "script", "go_import_path", "notifications", "os")) if (y.has(k)) score++;
        if (y.get("jobs").has("include")) score += 2;
        return y.has("language") && score >= 2 || score >= 3 && (y.has("script") || y.has("after_success"));
    }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) throws ConfigParseException {
        YNode root = withImports(new SafeYaml().parse(file.text()), file, lookup, 0);
        String matrixKey = root.get("jobs").has("include") ? "jobs" : "matrix";
        List<YNode> includes = Yaml.flat(root.get(matrixKey).get("include"));

        // Root matrix: product of list-valued expansion keys and the root env list.
        YNode env = root.get("env");
        List<YNode> envRows = new ArrayList<>();
        if (env.isSeq() || env.isScalar()) envRows.addAll(Yaml.flat(env));
        else if (env.isMap()) envRows.addAll(Yaml.flat(env.get("jobs").isPresent() ? env.get("jobs") : env.get("matrix")));
        YNode globalEnv = env.isMap() ? env.get("global") : YNode.missing();
        int combos = Math.max(1, envRows.size());
        boolean expands = !envRows.isEmpty();
        for (String k : EXPANSION_KEYS) {
            if (root.get(k).isSeq() && root.get(k).seq().size() > 0) {
                combos *= root.get(k).seq().size();
                expands = true;
            }
        }
        record Job(String name, YNode def, YNode matrixEnv) { }
        List<Job> jobs = new ArrayList<>();
        if (includes.isEmpty() || expands) {
            for (int i = 0; i < combos; i++) {
                YNode e = envRows.isEmpty() ? YNode.missing() : envRows.get(i % envRows.size());
                jobs.add(new Job(combos == 1 ? (includes.isEmpty() ? "default" : "root") : "root[" + i + "]", YNode.missing(), e));
            }
        }
        for (int i = 0; i < includes.size(); i++) {
            YNode inc = includes.get(i);
            String name = inc.get("name").isScalar() ? inc.get("name").text() : matrixKey + ".include[" + i + "]";
            jobs.add(new Job(name, inc, inc.get("env")));
        }

        // Variables some job sets: unset elsewhere means empty, so shell guards on them can be decided.
        Set<String> controlled = new HashSet<>(Yaml.envAssignments(globalEnv).keySet());
        for (Job j : jobs) controlled.addAll(Yaml.envAssignments(j.matrixEnv()).keySet());

        List<JobReport> out = new ArrayList<>();
        ShellScan scan = new ShellScan(ind, lookup);
        for (Job j : jobs) {
            Map<String, String> known = new LinkedHashMap<>(Yaml.envAssignments(globalEnv));
            known.putAll(Yaml.envAssignments(j.matrixEnv()));
            String os = j.def().get("os").text(root.get("os").isScalar() ? root.get("os").text() : "linux");
            known.put("TRAVIS_OS_NAME", os);
            ShellGuard guard = new ShellGuard(known, controlled);
            JobResult r = new JobResult(file.displayPath(), provider(), j.name());
            Set<String> referenced = new LinkedHashSet<>();
            for (String phase : PHASES) {
                YNode body = j.def().has(phase) ? j.def().get(phase) : root.get(phase);
                for (YNode item : Yaml.flat(body)) {
                    if (!item.isScalar()) continue;
                    r.hits(scan.scan(item.text(), file.displayPath(), item.firstTextLine(), guard));
                    referenced.addAll(SecretNames.shellRefs(item.text()));
                }
            }
            YNode deploy = j.def().has("deploy") ? j.def().get("deploy") : root.get("deploy");
            for (YNode s : deploy.scalars()) referenced.addAll(SecretNames.shellRefs(s.text()));
            Set<String> secrets = new LinkedHashSet<>();
            secrets.add(SecretNames.PROJECT_LEVEL_ALL);
            for (String n : referenced) if (!known.containsKey(n)) secrets.add(n);
            for (String n : known.keySet()) if (SecretNames.looksSecret(n)) secrets.add(n);
            int secure = Yaml.secureCount(env) + Yaml.secureCount(j.def().get("env"));
            for (int i = 1; i <= secure; i++) secrets.add("secure-env-" + i);
            out.add(r.stepSecrets(secrets).report());
        }
        return out;
    }

    /** Merges local import: files under this one (this file's keys win). Remote imports are not fetched. */
    private YNode withImports(YNode root, CiFile file, FileLookup lookup, int depth) throws ConfigParseException {
        if (!root.isMap() || !root.has("import") || depth > 5) return root;
        LinkedHashMap<String, YNode> merged = new LinkedHashMap<>();
        for (YNode imp : Yaml.flat(root.get("import"))) {
            String src = imp.isScalar() ? imp.text() : imp.get("source").text("");
            if (src.isEmpty() || src.contains(":")) continue; // owner/repo:path imports live in another repository
            String path = FileLookup.normalise(src.replaceFirst("@.*$", ""));
            if (path == null) continue;
            Optional<String> text = lookup.read(path);
            if (text.isEmpty()) continue;
            YNode imported = withImports(new SafeYaml().parse(text.get()), new CiFile(path, path, text.get()), lookup, depth + 1);
            if (imported.isMap()) merged.putAll(imported.map());
        }
        merged.putAll(root.map());
        merged.remove("import");
        return YNode.ofMap(merged, root.line());
    }
}
