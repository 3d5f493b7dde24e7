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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * .gitlab-ci.yml: local includes merged in, hidden (".x") jobs are templates, extends: resolved with GitLab's deep
 * merge, default before_script/after_script applied. Every CI/CD variable of the project, its groups and the instance
 * is in the job's environment.
 */
public final class GitLabReader implements ConfigReader {
    private static final Set<String> RESERVED = Set.of("stages", "variables", "include", "workflow", "default", "image",
            "services", "before_script", "after_script", "cache", "types", "pages:deploy");

    @Override public String provider() { return "gitlab-ci"; }

    @Override public boolean conventionalPath(String p) { return p.equals(".gitlab-ci.yml") || p.endsWith("/.gitlab-ci.yml"); }

    @Override
    public boolean looksLike(String text, YNode y) {
        if (y == null || !y.isMap()) return false;
        long jobs = y.map().entrySet().stream().filter(e -> !RESERVED.contains(e.getKey()) && e.getValue().isMap()
                && (e.getValue().has("script") || e.getValue().has("extends") || e.getValue().has("stage"))).count();
        return jobs > 0 && (y.has("stages") || jobs >= 2 || y.map().keySet().stream().anyMatch(k -> k.startsWith(".")));
    }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) throws ConfigParseException {
        Map<String, YNode> top = new LinkedHashMap<>();
        YNode root = new SafeYaml().parse(file.text());
        if (!root.isMap()) throw new ConfigParseException("not a GitLab CI mapping");
        List<String> notes = new ArrayList<>();
        includeInto(root, lookup, top, notes, 0);
        top.putAll(root.map());

        YNode defaults = top.getOrDefault("default", YNode.missing());
        YNode globalVars = top.getOrDefault("variables", YNode.missing());
        List<JobReport> out = new ArrayList<>();
        ShellScan scan = new ShellScan(ind, lookup);
        for (Map.Entry<String, YNode> e : top.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(".") || RESERVED.contains(name) || !e.getValue().isMap()) continue;
            YNode job = resolveExtends(e.getValue(), top, 0);
            if (!job.has("script") && !job.has("trigger")) continue;
            JobResult r = new JobResult(file.displayPath(), provider(), name);
            Map<String, String> vars = new LinkedHashMap<>(Yaml.envAssignments(globalVars));
            vars.putAll(Yaml.envAssignments(job.get("variables")));
            Set<String> referenced = new LinkedHashSet<>();
            for (String part : List.of("before_script", "script", "after_script")) {
                YNode body = job.has(part) ? job.get(part)
                        : defaults.has(part) ? defaults.get(part) : top.getOrDefault(part, YNode.missing());
                for (YNode item : Yaml.flat(body)) {
                    if (!item.isScalar()) continue;
                    r.hits(scan.scan(item.text(), file.displayPath(), item.firstTextLine(), ShellGuard.unknownEnv()));
                    referenced.addAll(SecretNames.shellRefs(item.text()));
                }
            }
            Set<String> secrets = new LinkedHashSet<>();
            secrets.add(SecretNames.PROJECT_LEVEL_ALL);
            for (String n : referenced) if (!vars.containsKey(n)) secrets.add(n);
            for (String n : vars.keySet()) if (SecretNames.looksSecret(n)) secrets.add(n);
            if (!notes.isEmpty()) r.note(String.join("; ", notes));
            out.add(r.stepSecrets(secrets).report());
        }
        return out;
    }

    private void includeInto(YNode root, FileLookup lookup, Map<String, YNode> top, List<String> notes, int depth)
            throws ConfigParseException {
        if (depth > 5) return;
        for (YNode inc : Yaml.flat(root.get("include"))) {
            String local = inc.isScalar() ? inc.text() : inc.get("local").text();
            if (local == null) {
                String other = inc.get("template").text(inc.get("project").text(inc.get("remote").text("?")));
                notes.add("include " + other + " not followed");
                continue;
            }
            if (local.startsWith("http://") || local.startsWith("https://")) {
                notes.add("include " + local + " not followed");
                continue;
            }
            String path = FileLookup.normalise(local);
            Optional<String> text = path == null ? Optional.empty() : lookup.read(path);
            if (text.isEmpty()) {
                notes.add("include " + local + " not found");
                continue;
            }
            YNode included = new SafeYaml().parse(text.get());
            if (!included.isMap()) continue;
            includeInto(included, lookup, top, notes, depth + 1);
            top.putAll(included.map());
        }
    }

    /** GitLab extends: parents first, deep-merging maps, the child's values win; arrays are replaced. */
    private YNode resolveExtends(YNode job, Map<String, YNode> top, int depth) {
        if (depth > 10 || !job.has("extends")) return job;
        LinkedHashMap<String, YNode> merged = new LinkedHashMap<>();
        for (YNode parentName : Yaml.flat(job.get("extends"))) {
            YNode parent = top.get(parentName.text(""));
            if (parent == null || !parent.isMap()) continue;
            merged = deepMerge(merged, resolveExtends(parent, top, depth + 1).map());
        }
        LinkedHashMap<String, YNode> own = new LinkedHashMap<>(job.map());
        own.remove("extends");
        merged = deepMerge(merged, own);
        return YNode.ofMap(merged, job.line());
    }

    private static LinkedHashMap<String, YNode> deepMerge(Map<String, YNode> base, Map<String, YNode> over) {
        LinkedHashMap<String, YNode> out = new LinkedHashMap<>(base);
        for (Map.Entry<String, YNode> e : over.entrySet()) {
            YNode b = out.get(e.getKey());
            if (b != null && b.isMap() && e.getValue().isMap()) {
                out.put(e.getKey(), YNode.ofMap(deepMerge(b.map(), e.getValue().map()), e.getValue().line()));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
