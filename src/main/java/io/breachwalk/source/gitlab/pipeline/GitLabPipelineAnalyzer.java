package io.breachwalk.source.gitlab.pipeline;

import io.breachwalk.detect.ConfigParseException;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.shell.ShellGuard;
import io.breachwalk.detect.shell.ShellScan;
import io.breachwalk.detect.yaml.SafeYaml;
import io.breachwalk.detect.yaml.YNode;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Hit;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Include;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Job;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.MissingScript;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Pipeline;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.RefFilter;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Rule;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.ScriptLine;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Trigger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a GitLab CI configuration into the jobs GitLab would create from it (DESIGN 4, issue 13). The one reader of
 * `.gitlab-ci.yml`: the GitLab walk (files at a pipeline's commit) and `inspect` (files on disk, through
 * {@link GitLabConfigReader}) both call {@code GitLabPipelineAnalyzer.analyze(path, text, lookup, matcher)}.
 * <p>
 * Followed as GitLab does: `include: local` files (deep-merged, the including file winning), YAML anchors and merge
 * keys (by {@link SafeYaml}), flow-style `!reference [job, key]` tags, `extends:` (multi-level, list form, deep merge,
 * arrays replaced), `default:` and the legacy top-level `before_script`/`after_script` (with `inherit: default:`).
 * Hidden `.name` keys are templates, never jobs, so an uploader in a template nobody extends does not count, nor does
 * one in an anchor nobody aliases or a commented-out line. `project:`, `template:` and `remote:` includes are asked of
 * {@link FileLookup#readRemote} (the walk's lookup fetches them; inspect's has none) and, when it has no answer,
 * listed as unresolved for the walk to record a gap. This class does no I/O beyond the {@link FileLookup}.
 */
public final class GitLabPipelineAnalyzer {
    /** Top-level keys that are not jobs. */
    static final Set<String> RESERVED = Set.of("stages", "variables", "include", "workflow", "default", "image",
            "services", "before_script", "after_script", "cache", "types", "pages:deploy", "spec");
    private static final List<String> SECTIONS = List.of("before_script", "script", "after_script");
    /** Flow-style `!reference [` in value position is rewritten to a marked sequence before parsing: SafeYaml drops custom tags. */
    private static final Pattern REFERENCE_TAG = Pattern.compile("(?m)((?:^|[:\\[,-])[ \\t]*)!reference[ \\t]*\\[");
    private static final String REFERENCE_MARK = "__gitlab_reference__";
    private static final int MAX_INCLUDES = 150;
    /**
     * The repository name under which {@code include: template:} files are asked of {@link FileLookup#readRemote}
     * (path: the template name, "Jobs/Code-Quality.gitlab-ci.yml"); a lookup that cannot serve them answers empty.
     */
    public static final String TEMPLATES = "gitlab-ci-templates";
    /** Likewise for {@code include: remote:} (path: the URL). */
    public static final String REMOTE = "remote-url";
    private static final int MAX_EXTENDS_DEPTH = 11;
    private static final int MAX_REFERENCE_DEPTH = 10;
    private static final int MAX_REFERENCES = 10_000;

    private final FileLookup lookup;
    private final IndicatorMatcher matcher;
    /** Which file each parsed node came from: merging and extends keep the leaves, so hits name their own file. */
    private final IdentityHashMap<YNode, String> fileOf = new IdentityHashMap<>();
    private final List<Include> included = new ArrayList<>();
    private final List<Include> unresolved = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Set<String> seenLocal = new HashSet<>();
    /** Templates already resolved (each once: a hostile file cannot make `extends:` fan out exponentially). */
    private final Map<String, YNode> extended = new HashMap<>();
    private final Set<String> extending = new LinkedHashSet<>();
    /** Templates a job extends that this configuration does not define (often from an include not read). */
    private final Map<String, Set<String>> undefinedParents = new HashMap<>();
    private int referencesFollowed;
    private YNode globalVariables = YNode.missing();

    private GitLabPipelineAnalyzer(FileLookup lookup, IndicatorMatcher matcher) {
        this.lookup = lookup == null ? FileLookup.NONE : lookup;
        this.matcher = matcher;
    }

    /**
     * Analyzes a root configuration.
     * @param path   how the root file is named in hits (its repository path, or the path inspect was given)
     * @param lookup the same tree at the same commit: local includes and repository scripts
     * @throws ConfigParseException when the root file is not YAML or not a mapping
     */
    public static Pipeline analyze(String path, String text, FileLookup lookup, IndicatorMatcher matcher)
            throws ConfigParseException {
        return new GitLabPipelineAnalyzer(lookup, matcher).pipeline(path, text);
    }

    private Pipeline pipeline(String path, String text) throws ConfigParseException {
        YNode root = parse(text, path);
        if (!root.isMap()) throw new ConfigParseException("not a GitLab CI mapping");
        Map<String, YNode> top = new LinkedHashMap<>();
        includeInto(root, path, top, 0);
        top = deepMerge(top, root.map());
        top = dereference(top);

        YNode defaults = top.getOrDefault("default", YNode.missing());
        Map<String, YNode> legacy = new LinkedHashMap<>();
        for (String part : List.of("before_script", "after_script")) {
            if (top.containsKey(part)) legacy.put(part, top.get(part));
        }
        List<String> globals = new ArrayList<>(names(top.getOrDefault("variables", YNode.missing())));
        globalVariables = top.getOrDefault("variables", YNode.missing());
        List<Job> jobs = new ArrayList<>();
        for (Map.Entry<String, YNode> e : top.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(".") || RESERVED.contains(name) || !e.getValue().isMap()) continue;
            YNode job = resolveExtends(name, e.getValue(), top);
            if (!job.has("script") && !job.has("trigger") && !job.has("run")) continue;
            jobs.add(job(name, e.getValue(), job, defaults, legacy, globals, path));
        }
        List<String> stages = new ArrayList<>();
        for (YNode s : flat(top.getOrDefault("stages", top.getOrDefault("types", YNode.missing())))) {
            if (s.isScalar()) stages.add(s.text());
        }
        List<Rule> workflowRules = rules(top.getOrDefault("workflow", YNode.missing()).get("rules"));
        return new Pipeline(path, List.copyOf(jobs), List.copyOf(stages), workflowRules, List.copyOf(globals),
                List.copyOf(included), List.copyOf(unresolved), List.copyOf(problems));
    }

    private Job job(String name, YNode own, YNode job, YNode defaults, Map<String, YNode> legacy, List<String> globals,
                    String rootPath) {
        YNode inherit = job.get("inherit");
        List<ScriptLine> scripts = new ArrayList<>();
        for (String section : SECTIONS) {
            YNode body = job.get(section);
            if (!job.has(section) && inherits(inherit.get("default"), section)) {
                body = defaults.has(section) ? defaults.get(section) : legacy.getOrDefault(section, YNode.missing());
            }
            for (YNode item : flat(body)) {
                if (item.isScalar()) scripts.add(new ScriptLine(section, item.text(), fileOf(item, rootPath), item.firstTextLine()));
            }
        }
        Set<String> vars = new LinkedHashSet<>();
        YNode inheritVars = inherit.get("variables");
        for (String g : globals) if (inherits(inheritVars, g)) vars.add(g);
        vars.addAll(names(job.get("variables")));

        List<Hit> hits = new ArrayList<>();
        List<MissingScript> missing = new ArrayList<>();
        // before_script and script run in one shell; after_script in another.
        scan(scripts.stream().filter(s -> !s.section().equals("after_script")).toList(), hits, missing);
        scan(scripts.stream().filter(s -> s.section().equals("after_script")).toList(), hits, missing);
        hits.addAll(throughVariables(scripts, hits, globalValues(inheritVars), job.get("variables")));

        String when = job.get("when").text("on_success").trim();
        YNode par = job.get("parallel");
        int parallel = par.isMap() ? GitLabPipelineModel.PARALLEL_MATRIX : parseCount(par.text(""));
        YNode allow = job.get("allow_failure");
        return new Job(name, fileOf(own, rootPath), own.line(), job.get("stage").text("test").trim(), when,
                allow.isScalar() ? allow.text() : allow.isMap() ? "exit_codes" : null, rules(job.get("rules")),
                refFilter(job.get("only")), refFilter(job.get("except")), environment(job.get("environment")),
                List.copyOf(vars), trigger(job.get("trigger"), fileOf(own, rootPath)), List.copyOf(scripts),
                List.copyOf(hits), List.copyOf(missing), parallel,
                List.copyOf(undefinedParents.getOrDefault(name, Set.of())));
    }

    private static int parseCount(String s) {
        try {
            return Math.max(0, Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Map<String, YNode> globalValues(YNode inheritVars) {
        Map<String, YNode> out = new LinkedHashMap<>();
        if (globalVariables.isMap()) {
            globalVariables.map().forEach((k, v) -> { if (inherits(inheritVars, k)) out.put(k, v); });
        }
        return out;
    }

    /**
     * `UPLOADER: https://codecov.io/bash` in `variables:` and `curl -s $UPLOADER | bash` in a script: the script line
     * runs what the variable names. Reported at the script line, possible, naming the variable and never its value
     * (a URL may carry a token).
     */
    private List<Hit> throughVariables(List<ScriptLine> scripts, List<Hit> direct, Map<String, YNode> globals, YNode own) {
        Map<String, YNode> vars = new LinkedHashMap<>(globals);
        if (own.isMap()) vars.putAll(own.map());
        List<Hit> out = new ArrayList<>();
        for (Map.Entry<String, YNode> v : vars.entrySet()) {
            YNode value = v.getValue().isMap() ? v.getValue().get("value") : v.getValue();
            if (!value.isScalar()) continue;
            var uploader = matcher.affectedScript(value.text()).stream().findFirst();
            if (uploader.isEmpty()) continue;
            Pattern use = Pattern.compile("\\$\\{?" + Pattern.quote(v.getKey()) + "(?![A-Za-z0-9_])");
            for (ScriptLine l : scripts) {
                String[] lines = l.text().split("\\r?\\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    int line = l.line() + i;
                    if (!use.matcher(io.breachwalk.detect.ShellText.stripComment(lines[i])).find()) continue;
                    boolean already = direct.stream().anyMatch(h -> h.affected() && h.file().equals(l.file()) && h.line() == line)
                            || out.stream().anyMatch(h -> h.file().equals(l.file()) && h.line() == line);
                    if (already) continue;
                    out.add(new Hit(l.section(), uploader.get().how(), true, true, l.file(), line,
                            ShellScan.clip(lines[i]) + " ($" + v.getKey() + " names the uploader)", null, null));
                }
            }
        }
        return out;
    }

    /** `inherit: default:` / `inherit: variables:`: absent or true inherits all, false none, a list those named. */
    private static boolean inherits(YNode setting, String name) {
        if (!setting.isPresent()) return true;
        if (setting.isScalar()) return !"false".equalsIgnoreCase(setting.text().trim());
        return flat(setting).stream().anyMatch(n -> name.equals(n.text()));
    }

    /**
     * Scans the lines of one shell as one text (a script downloaded by one item and run by the next is seen whole),
     * mapping each finding back to the item's file and line.
     */
    private void scan(List<ScriptLine> lines, List<Hit> hits, List<MissingScript> missing) {
        if (lines.isEmpty()) return;
        StringBuilder text = new StringBuilder();
        List<ScriptLine> owner = new ArrayList<>();
        List<Integer> fileLine = new ArrayList<>();
        for (ScriptLine l : lines) {
            String[] parts = l.text().split("\\r?\\n", -1);
            for (int i = 0; i < parts.length; i++) {
                text.append(parts[i]).append('\n');
                owner.add(l);
                fileLine.add(l.line() + i);
            }
        }
        ShellScan scan = new ShellScan(matcher, lookup);
        String all = text.toString();
        for (ShellScan.Found f : scan.find(all, ShellGuard.unknownEnv())) {
            int i = Math.min(Math.max(f.line(), 1), owner.size()) - 1;
            ScriptLine at = owner.get(i);
            hits.add(new Hit(at.section(), f.how(), f.affected(), f.possible() || f.followed(), at.file(),
                    fileLine.get(i), f.text(), f.script(), f.location()));
        }
        for (ShellScan.Missing m : scan.missing(all, ShellGuard.unknownEnv())) {
            int i = Math.min(Math.max(m.line(), 1), owner.size()) - 1;
            missing.add(new MissingScript(owner.get(i).file(), fileLine.get(i), m.script(), m.via()));
        }
    }

    // ---- includes ----------------------------------------------------------------------------------------------

    /**
     * Where an included file is read: {@code repository} null for the analysed tree itself, else the first argument
     * of {@link FileLookup#readRemote} (a project path, {@link #TEMPLATES} or {@link #REMOTE}).
     */
    private record Origin(String repository, String ref) {
        static final Origin TREE = new Origin(null, null);
    }

    private void includeInto(YNode config, String from, Map<String, YNode> top, int depth) {
        includeInto(config, from, Origin.TREE, top, depth);
    }

    private void includeInto(YNode config, String from, Origin origin, Map<String, YNode> top, int depth) {
        for (YNode inc : flat(config.get("include"))) {
            for (Include i : includes(inc, from)) {
                if (i.kind().equals("local") && i.location().contains("*")) {
                    unresolved.add(withReason(i, "wildcard"));
                    problems.add("include " + i.location() + " (wildcard) not followed");
                    continue;
                }
                Origin at;
                String path;
                switch (i.kind()) {
                    case "local" -> { at = origin; path = FileLookup.normalise(i.location()); }
                    case "project" -> { at = new Origin(i.project(), i.ref()); path = FileLookup.normalise(i.location()); }
                    case "template" -> { at = new Origin(TEMPLATES, null); path = i.location(); }
                    case "remote" -> { at = new Origin(REMOTE, null); path = i.location(); }
                    default -> { notFollowed(i, "not supported"); continue; }
                }
                if (path == null || path.isEmpty()) {
                    unresolved.add(withReason(i, "outside the repository"));
                    problems.add("include " + i.location() + " not followed: outside the repository");
                    continue;
                }
                String name = at.repository() == null ? path : at.repository().equals(REMOTE) ? path
                        : at.repository().equals(TEMPLATES) ? "template:" + path
                        : at.repository() + "/" + path + (at.ref() == null ? "" : "@" + at.ref());
                if (!seenLocal.add(name)) continue;
                if (included.size() >= MAX_INCLUDES || depth > 20) {
                    unresolved.add(withReason(i, "too many includes"));
                    problems.add("include " + i.location() + " not followed: too many includes");
                    continue;
                }
                Optional<String> text = at.repository() == null ? lookup.read(path)
                        : lookup.readRemote(at.repository(), at.ref(), path);
                if (text.isEmpty()) {
                    if (at.repository() == null) {
                        unresolved.add(withReason(i, "not found"));
                        problems.add("include " + i.location() + " not found");
                    } else {
                        notFollowed(i, "not available");
                    }
                    continue;
                }
                YNode parsed;
                try {
                    parsed = parse(text.get(), name);
                } catch (ConfigParseException e) {
                    unresolved.add(withReason(i, "not valid YAML: " + e.getMessage()));
                    problems.add("include " + i.location() + " is not valid YAML (" + e.getMessage() + ")");
                    continue;
                }
                boolean inProject = i.kind().equals("local") && at.repository() != null;
                included.add(new Include(i.kind(), path, inProject ? at.repository() : i.project(),
                        inProject ? at.ref() : i.ref(), i.from(), i.line(), i.conditional(), ""));
                if (!parsed.isMap()) continue;
                // Nested includes first, then this file over them; the including file is merged over all later.
                // A local include inside a project's file is a file of that project.
                Map<String, YNode> inner = new LinkedHashMap<>();
                includeInto(parsed, name, at, inner, depth + 1);
                inner = deepMerge(inner, parsed.map());
                top.putAll(deepMerge(top, inner));
            }
        }
    }

    private void notFollowed(Include i, String reason) {
        unresolved.add(withReason(i, reason));
        // Worded as inspect always worded it: the project, template or URL.
        String note = "include " + (i.project() != null ? i.project() : i.location()) + " not followed";
        if (!problems.contains(note)) problems.add(note);
    }

    private static Include withReason(Include i, String reason) {
        return new Include(i.kind(), i.location(), i.project(), i.ref(), i.from(), i.line(), i.conditional(), reason);
    }

    /** The entries of one `include:` item: a string (local path or URL) or a map; a project include per file. */
    private static List<Include> includes(YNode inc, String from) {
        List<Include> out = new ArrayList<>();
        int line = inc.line();
        if (inc.isScalar()) {
            String s = inc.text().trim();
            boolean remote = s.startsWith("http://") || s.startsWith("https://");
            out.add(new Include(remote ? "remote" : "local", s, null, null, from, line, false, remote ? "remote" : ""));
            return out;
        }
        if (!inc.isMap()) return out;
        boolean conditional = inc.has("rules");
        if (inc.get("local").isScalar()) {
            out.add(new Include("local", inc.get("local").text().trim(), null, null, from, line, conditional, ""));
        } else if (inc.has("project")) {
            String project = inc.get("project").text("?").trim();
            String ref = inc.get("ref").isScalar() ? inc.get("ref").text().trim() : null;
            for (YNode f : flat(inc.get("file"))) {
                if (f.isScalar()) out.add(new Include("project", f.text().trim(), project, ref, from, line, conditional, "project"));
            }
            if (out.isEmpty()) out.add(new Include("project", "", project, ref, from, line, conditional, "project"));
        } else {
            for (String kind : List.of("template", "remote", "component", "artifact")) {
                if (inc.get(kind).isScalar()) {
                    out.add(new Include(kind, inc.get(kind).text().trim(), null, null, from, line, conditional, kind));
                    return out;
                }
            }
            out.add(new Include("unknown", inc.toString(), null, null, from, line, conditional, "unknown include form"));
        }
        return out;
    }

    // ---- extends and !reference --------------------------------------------------------------------------------

    /**
     * GitLab extends: parents in order (later parents win), then the job itself; maps deep-merged, arrays replaced.
     * A cycle, or a chain deeper than GitLab allows, stops there with a problem.
     */
    private YNode resolveExtends(String name, YNode job, Map<String, YNode> top) {
        if (!job.has("extends")) return job;
        YNode done = extended.get(name);
        if (done != null) return done;
        if (!extending.add(name)) {
            problems.add(name + ": extends itself through " + extending + "; not followed further");
            return job;
        }
        try {
            if (extending.size() > MAX_EXTENDS_DEPTH) {
                problems.add(name + ": extends nested more than " + MAX_EXTENDS_DEPTH + " levels; not followed further");
                return job;
            }
            Map<String, YNode> merged = new LinkedHashMap<>();
            Set<String> undefined = new LinkedHashSet<>();
            for (YNode parentName : flat(job.get("extends"))) {
                String p = parentName.text("");
                YNode parent = top.get(p);
                if (parent == null || !parent.isMap()) {
                    undefined.add(p);
                    problems.add(name + ": extends " + p + ", which is not defined here");
                    continue;
                }
                merged = deepMerge(merged, resolveExtends(p, parent, top).map());
                undefined.addAll(undefinedParents.getOrDefault(p, Set.of()));
            }
            Map<String, YNode> own = new LinkedHashMap<>(job.map());
            own.remove("extends");
            YNode result = YNode.ofMap(deepMerge(merged, own), job.line());
            extended.put(name, result);
            undefinedParents.put(name, undefined);
            return result;
        } finally {
            extending.remove(name);
        }
    }

    private static Map<String, YNode> deepMerge(Map<String, YNode> base, Map<String, YNode> over) {
        Map<String, YNode> out = new LinkedHashMap<>(base);
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

    /** Replaces every `!reference [key, sub, ...]` by what it points at; in a sequence a referenced list is spliced. */
    private Map<String, YNode> dereference(Map<String, YNode> top) {
        Map<String, YNode> out = new LinkedHashMap<>();
        for (Map.Entry<String, YNode> e : top.entrySet()) out.put(e.getKey(), deref(e.getValue(), top, 0));
        return out;
    }

    private YNode deref(YNode node, Map<String, YNode> top, int depth) {
        if (isReference(node)) {
            YNode target = follow(node, top);
            return depth >= MAX_REFERENCE_DEPTH ? YNode.missing() : deref(target, top, depth + 1);
        }
        if (node.isMap()) {
            if (node.map().values().stream().noneMatch(GitLabPipelineAnalyzer::containsReference)) return node;
            Map<String, YNode> m = new LinkedHashMap<>();
            node.map().forEach((k, v) -> m.put(k, deref(v, top, depth)));
            return sameFile(YNode.ofMap(m, node.line()), node);
        }
        if (node.isSeq()) {
            if (node.seq().stream().noneMatch(GitLabPipelineAnalyzer::containsReference)) return node;
            List<YNode> items = new ArrayList<>();
            for (YNode item : node.seq()) {
                YNode d = deref(item, top, depth);
                if (isReference(item) && d.isSeq()) items.addAll(d.seq());
                else if (d.isPresent()) items.add(d);
            }
            return sameFile(YNode.ofSeq(items, node.line()), node);
        }
        return node;
    }

    private YNode sameFile(YNode copy, YNode original) {
        String file = fileOf.get(original);
        if (file != null) fileOf.put(copy, file);
        return copy;
    }

    private static boolean isReference(YNode n) {
        return n.isSeq() && !n.seq().isEmpty() && REFERENCE_MARK.equals(n.seq().get(0).text());
    }

    private static boolean containsReference(YNode n) {
        if (isReference(n)) return true;
        if (n.isMap()) return n.map().values().stream().anyMatch(GitLabPipelineAnalyzer::containsReference);
        if (n.isSeq()) return n.seq().stream().anyMatch(GitLabPipelineAnalyzer::containsReference);
        return false;
    }

    private YNode follow(YNode ref, Map<String, YNode> top) {
        if (++referencesFollowed > MAX_REFERENCES) {
            if (referencesFollowed == MAX_REFERENCES + 1) problems.add("more than " + MAX_REFERENCES + " !reference tags; the rest not followed");
            return YNode.missing();
        }
        List<YNode> path = ref.seq().subList(1, ref.seq().size());
        if (path.isEmpty()) return YNode.missing();
        YNode at = top.getOrDefault(path.get(0).text(""), YNode.missing());
        for (YNode key : path.subList(1, path.size())) at = at.get(key.text(""));
        if (!at.isPresent()) {
            problems.add("!reference " + path.stream().map(n -> n.text("")).toList() + " points at nothing");
        }
        return at;
    }

    // ---- conditions and other data -----------------------------------------------------------------------------

    private static List<Rule> rules(YNode rules) {
        List<Rule> out = new ArrayList<>();
        for (YNode r : flat(rules)) {
            if (!r.isMap()) continue;
            YNode allow = r.get("allow_failure");
            out.add(new Rule(r.get("if").text(null), scalars(r.get("changes")), scalars(r.get("exists")),
                    r.get("when").text(null), allow.isScalar() ? allow.text() : allow.isMap() ? "exit_codes" : null,
                    names(r.get("variables")), r.line()));
        }
        return List.copyOf(out);
    }

    private static RefFilter refFilter(YNode f) {
        if (!f.isPresent()) return null;
        if (!f.isMap()) return new RefFilter(scalars(f), List.of(), List.of(), false);
        return new RefFilter(scalars(f.get("refs")), scalars(f.get("variables")), scalars(f.get("changes")),
                f.get("kubernetes").isPresent());
    }

    private static String environment(YNode env) {
        String name = env.isScalar() ? env.text() : env.get("name").text(null);
        return name == null || name.isBlank() ? null : name.trim();
    }

    private Trigger trigger(YNode t, String from) {
        if (!t.isPresent()) return null;
        if (t.isScalar()) return new Trigger(t.text().trim(), null, List.of(), null);
        List<Include> incs = new ArrayList<>();
        for (YNode inc : flat(t.get("include"))) incs.addAll(includes(inc, from));
        YNode project = t.get("project");
        return new Trigger(project.isScalar() ? project.text().trim() : null, t.get("branch").text(null),
                List.copyOf(incs), t.get("strategy").text(null));
    }

    /** The keys of a `variables:` mapping: names only, never values. */
    private static List<String> names(YNode vars) {
        return vars.isMap() ? List.copyOf(vars.map().keySet()) : List.of();
    }

    private static List<String> scalars(YNode n) {
        return n.scalars().stream().map(YNode::text).toList();
    }

    /** Flattens nested sequences (an alias to a list used as one item) into the scalar and map items. */
    static List<YNode> flat(YNode n) {
        List<YNode> out = new ArrayList<>();
        flatInto(n, out, 0);
        return out;
    }

    private static void flatInto(YNode n, List<YNode> out, int depth) {
        if (depth > 20) return;
        if (n.isSeq()) n.seq().forEach(c -> flatInto(c, out, depth + 1));
        else if (n.isPresent()) out.add(n);
    }

    // ---- parsing -----------------------------------------------------------------------------------------------

    private YNode parse(String text, String file) throws ConfigParseException {
        String prepared = REFERENCE_TAG.matcher(text).replaceAll("$1[" + REFERENCE_MARK + ", ");
        YNode root;
        try {
            root = new SafeYaml().parse(prepared);
        } catch (ConfigParseException e) {
            if (prepared.equals(text)) throw e;
            root = new SafeYaml().parse(text); // the rewrite broke something odd: read the tags as plain lists
        }
        register(root, file, 0);
        return root;
    }

    private void register(YNode n, String file, int depth) {
        if (depth > 200 || fileOf.containsKey(n)) return;
        fileOf.put(n, file);
        if (n.isMap()) n.map().values().forEach(v -> register(v, file, depth + 1));
        else if (n.isSeq()) n.seq().forEach(v -> register(v, file, depth + 1));
    }

    private String fileOf(YNode n, String fallback) {
        return fileOf.getOrDefault(n, fallback);
    }
}
