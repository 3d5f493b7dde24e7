package io.breachwalk.source.github.workflow;


import io.breachwalk.detect.ConfigParseException;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.Match;
import io.breachwalk.detect.ScriptMatch;
import io.breachwalk.detect.shell.ShellGuard;
import io.breachwalk.detect.shell.ShellScan;
import io.breachwalk.detect.yaml.SafeYaml;
import io.breachwalk.detect.yaml.YNode;
import io.breachwalk.source.github.workflow.WorkflowModel.Hit;
import io.breachwalk.source.github.workflow.WorkflowModel.Job;
import io.breachwalk.source.github.workflow.WorkflowModel.SecretUse;
import io.breachwalk.source.github.workflow.WorkflowModel.Step;
import io.breachwalk.source.github.workflow.WorkflowModel.Workflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a GitHub Actions workflow into jobs and steps with their indicator hits and secret references (DESIGN 4.3).
 * The one reader of GitHub workflows: the GitHub walk (files at a run's commit) and `inspect` (files on disk, through
 * {@link GitHubWorkflowReader}) both call
 * {@code WorkflowAnalyzer.analyze(".github/workflows/ci.yml", text, lookup, matcher)}.
 * Followed through the {@link FileLookup}: local composite actions, reusable workflows, repository scripts and make
 * targets a `run:` calls (possible, `script:<path>`), and third-party actions whose name says they may wrap the
 * uploader (possible).
 */
public final class WorkflowAnalyzer {

    /** The workflow file is not valid YAML or not a workflow; the message says where. */
    public static final class UnparsableWorkflowException extends Exception {
        public UnparsableWorkflowException(String message) {
            super(message);
        }
    }

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern SECRET_DOT = Pattern.compile("\\bsecrets\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_-]*)");
    private static final Pattern SECRET_INDEX = Pattern.compile("\\bsecrets\\s*\\[\\s*(['\"])([^'\"]+)\\1\\s*]");
    private static final Pattern SECRET_ALL = Pattern.compile("(?i)\\btoJSON\\s*\\(\\s*secrets\\s*\\)|\\bsecrets\\s*\\[\\s*[^'\"\\s]");
    private static final Pattern GITHUB_TOKEN = Pattern.compile("\\bgithub\\s*\\.\\s*token\\b");
    private static final Pattern ENV_VAR = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");
    private static final int MAX_NESTING = 4;

    private final IndicatorMatcher matcher;
    private final FileLookup lookup;
    private final List<String> problems = new ArrayList<>();

    private WorkflowAnalyzer(IndicatorMatcher matcher, FileLookup lookup) {
        this.matcher = matcher;
        this.lookup = lookup;
    }

    /**
     * Analyzes one workflow file.
     * @param lookup files of the same tree at the same commit ({@link FileLookup#read}) and of other repositories'
     *               actions and workflows ({@link FileLookup#readRemote}); a lookup that cannot read a file (rather
     *               than finding it absent) throws {@link UncheckedIOException}, recorded as a problem of the workflow
     */
    public static Workflow analyze(String path, String yaml, FileLookup lookup, IndicatorMatcher matcher)
            throws UnparsableWorkflowException {
        WorkflowAnalyzer a = new WorkflowAnalyzer(matcher, lookup == null ? FileLookup.NONE : lookup);
        List<Job> jobs = a.workflow(path, yaml, null, null, 0);
        return new Workflow(path, jobs, List.copyOf(a.problems));
    }

    /**
     * @param caller      for a reusable workflow: the calling job (its display name prefixes the jobs), else null
     * @param secretMap   for a reusable workflow: inner secret name -> the caller's secrets behind it; null = inherit
     */
    private List<Job> workflow(String path, String yaml, CallerJob caller, Map<String, List<SecretUse>> secretMap,
                               int depth) throws UnparsableWorkflowException {
        YNode root;
        try {
            root = new SafeYaml().parse(yaml);
        } catch (ConfigParseException e) {
            throw new UnparsableWorkflowException(path + ": " + e.getMessage());
        }
        if (!root.isMap() || !root.get("jobs").isMap()) {
            throw new UnparsableWorkflowException(path + ": no `jobs:` mapping");
        }
        SecretRefs refs = new SecretRefs(secretMap);
        List<SecretUse> workflowEnv = envSecrets(root.get("env"), "workflow env", refs);
        List<Job> jobs = new ArrayList<>();
        for (Map.Entry<String, YNode> e : root.get("jobs").map().entrySet()) {
            YNode job = e.getValue();
            if (!job.isMap()) {
                throw new UnparsableWorkflowException(path + ":" + job.line() + ": job " + e.getKey() + " is not a mapping");
            }
            String name = text(job.get("name"));
            String display = name != null ? name : e.getKey();
            boolean matrix = job.get("strategy").get("matrix").isPresent();
            String prefix = caller == null ? "" : caller.display() + " / ";
            String callerKey = caller == null ? null : caller.fileKey();
            Pattern namePattern = jobNamePattern(prefix, display, name == null && matrix,
                    caller != null && caller.matrix());
            String calls = text(job.get("uses"));
            if (calls != null && !calls.isBlank()) {
                jobs.addAll(reusable(path, e.getKey(), job, display, matrix, refs, depth,
                        callerKey == null ? e.getKey() : callerKey, prefix));
                continue;
            }
            List<SecretUse> env = new ArrayList<>(workflowEnv);
            env.addAll(envSecrets(job.get("env"), "job env", refs));
            List<SecretUse> other = new ArrayList<>();
            for (String part : List.of("container", "services")) {
                if (job.get(part).isPresent()) {
                    other.addAll(refs.in(flatten(job.get(part)), part + " credentials"));
                }
            }
            String environment = environmentName(job.get("environment"));
            if (environment == null && caller != null) {
                environment = caller.environment();
            }
            List<Step> steps = steps(path, job.get("steps"), refs, depth);
            jobs.add(new Job(e.getKey(), prefix + display, namePattern, matrix, environment, job.line(), steps,
                    List.copyOf(env), List.copyOf(other), path, callerKey));
        }
        return jobs;
    }

    /** @param fileKey the key, in the analysed file, of the job that (directly or not) calls this workflow */
    private record CallerJob(String display, boolean matrix, String environment, String fileKey) {}

    /** A job that calls a reusable workflow: its jobs run as `caller / inner`, with the secrets passed to them. */
    private List<Job> reusable(String path, String key, YNode job, String display, boolean matrix, SecretRefs refs,
                               int depth, String fileKey, String prefix) throws UnparsableWorkflowException {
        String uses = text(job.get("uses")).trim();
        Optional<String> text = Optional.empty();
        String calledPath = uses;
        if (depth < MAX_NESTING) {
            try {
                if (uses.startsWith("./")) {
                    calledPath = uses.substring(2);
                    text = read(null, calledPath, null);
                } else {
                    int at = uses.lastIndexOf('@');
                    String[] parts = (at < 0 ? uses : uses.substring(0, at)).split("/", 3);
                    if (parts.length == 3 && at > 0) {
                        calledPath = parts[2];
                        text = read(parts[0] + "/" + parts[1], parts[2], uses.substring(at + 1));
                    }
                }
            } catch (IOException e) {
                problems.add(path + ":" + job.line() + ": cannot read reusable workflow " + uses + ": " + e.getMessage());
                return List.of(notFollowed(path, key, job, prefix + display, uses, fileKey));
            }
        }
        if (text.isEmpty()) {
            problems.add(path + ":" + job.line() + ": reusable workflow " + uses + " not found; job " + key + " not followed");
            return List.of(notFollowed(path, key, job, prefix + display, uses, fileKey));
        }
        Map<String, List<SecretUse>> passed = null; // inherit
        YNode secrets = job.get("secrets");
        if (!secrets.isPresent() || (secrets.isScalar() && !secrets.text().trim().equals("inherit"))) {
            passed = Map.of();
        } else if (secrets.isMap()) {
            passed = new LinkedHashMap<>();
            for (Map.Entry<String, YNode> s : secrets.map().entrySet()) {
                passed.put(s.getKey(), refs.in(flatten(s.getValue()), "secrets: " + s.getKey() + " of " + uses));
            }
        }
        CallerJob caller = new CallerJob(prefix + display, matrix, environmentName(job.get("environment")), fileKey);
        // A remote workflow is cited as owner/repo/path@ref (its own commit is not ours); a local one by path.
        String file = uses.startsWith("./") ? calledPath : uses;
        return workflow(file, text.get(), caller, passed, depth + 1);
    }

    /**
     * A calling job whose reusable workflow could not be read. Its jobs' API names (`caller / inner`) are unknown, so
     * its name pattern is the caller's alone and the walk reports their jobs as unmatched. A workflow whose name says it
     * may wrap the uploader is a possible hit.
     */
    private Job notFollowed(String path, String key, YNode job, String display, String uses, String fileKey) {
        List<Step> steps = new ArrayList<>();
        Optional<Match> wrapper = matcher.wrapperAction(uses);
        if (wrapper.isPresent()) {
            int line = job.get("uses").line();
            Hit h = new Hit("wrapper-workflow:" + uses, true, true, path, line, "uses: " + uses,
                    wrapper.get().detail(), "reusable workflow not followed");
            steps.add(new Step(1, null, "Run " + uses, namePattern("Run " + uses), uses, null, null, line, h,
                    List.of(), List.of(), List.of()));
        }
        return new Job(key, display, Pattern.compile("^" + Pattern.quote(display) + "$"), false,
                environmentName(job.get("environment")), job.line(), steps, List.of(), List.of(), path,
                fileKey.equals(key) ? null : fileKey);
    }

    private List<Step> steps(String file, YNode stepsNode, SecretRefs refs, int depth) {
        List<Step> steps = new ArrayList<>();
        if (!stepsNode.isSeq()) {
            return steps;
        }
        int position = 0;
        for (YNode s : stepsNode.seq()) {
            position++;
            if (!s.isMap()) {
                continue;
            }
            steps.add(step(file, position, s, refs, depth));
        }
        return steps;
    }

    private Step step(String file, int position, YNode s, SecretRefs refs, int depth) {
        String name = text(s.get("name"));
        String uses = text(s.get("uses")) == null ? null : text(s.get("uses")).trim();
        YNode runNode = s.get("run");
        String run = text(runNode);
        String display = name != null ? name
                : uses != null ? "Run " + uses
                : "Run " + firstLine(run == null ? "" : run);

        List<SecretUse> secrets = new ArrayList<>(envSecrets(s.get("env"), "step env", refs));
        YNode with = s.get("with");
        if (with.isMap()) {
            for (Map.Entry<String, YNode> w : with.map().entrySet()) {
                String input = "INPUT_" + w.getKey().replace(' ', '_').toUpperCase(Locale.ROOT);
                secrets.addAll(refs.in(flatten(w.getValue()), "with: " + w.getKey() + " (" + input + ")"));
            }
        }
        if (run != null) {
            secrets.addAll(refs.in(run, "run: script"));
        }

        List<Hit> found = new ArrayList<>();
        if (uses != null) {
            int line = s.get("uses").line();
            Optional<Match> known = matcher.knownAction(uses);
            Optional<Match> wrapper = known.isPresent() ? Optional.empty() : matcher.wrapperAction(uses);
            if (known.isPresent()) {
                Match m = known.get();
                found.add(new Hit(m.how(), m.affected(), m.possible(), file, line, "uses: " + uses, m.detail(), ""));
            } else if (wrapper.isPresent()) {
                found.add(thirdParty(file, line, uses, wrapper.get()));
            } else if (uses.startsWith("./") && depth < MAX_NESTING) {
                Composite c = composite(file, uses, depth);
                if (c != null) {
                    secrets.addAll(c.secrets());
                    for (Hit inner : c.hits()) {
                        found.add(new Hit(inner.how(), inner.affected(), inner.possible(), file, line, "uses: " + uses,
                                inner.detail(), inner.location() + " " + inner.text()
                                + (inner.via().isEmpty() ? "" : " -> " + inner.via())));
                    }
                }
            }
        }
        if (run != null) {
            found.addAll(runHits(file, runNode, run));
        }
        Hit hit = null;
        List<Hit> related = new ArrayList<>();
        for (Hit h : found) {
            if (!h.affected()) {
                related.add(h);
            } else if (hit == null || (hit.possible() && !h.possible())) {
                hit = h; // a direct finding outranks an indirect one
            }
        }
        return new Step(position, name, display, namePattern(display), uses, run, text(s.get("if")),
                s.line(), hit, List.copyOf(related), dedupe(secrets), exports(s, uses, run, refs, display));
    }

    /**
     * A file the workflow refers to: {@code repo} null for the same tree (ref null), else another repository at a ref.
     * The lookup's read failure comes back as the IOException the callers record.
     */
    private Optional<String> read(String repo, String path, String ref) throws IOException {
        try {
            return repo == null ? lookup.read(path) : lookup.readRemote(repo, ref, path);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The uploader lines of a `run:` script, and those of the repository scripts and make targets it calls (read at the
     * same commit; `possible`, the script's path in the evidence).
     */
    private List<Hit> runHits(String file, YNode runNode, String run) {
        List<Hit> out = new ArrayList<>();
        String[] lines = run.split("\\r?\\n", -1);
        FileLookup sameTree = repoPath -> {
            try {
                return read(null, repoPath, null);
            } catch (IOException e) {
                problems.add(file + ": cannot read " + repoPath + ": " + e.getMessage() + "; not followed");
                return Optional.empty();
            }
        };
        for (ShellScan.Found f : new ShellScan(matcher, sameTree).find(run, ShellGuard.unknownEnv())) {
            int line = runNode.firstTextLine() + f.line() - 1;
            if (!f.followed()) {
                out.add(new Hit(f.how(), f.affected(), f.possible(), file, line, "run: " + f.text(), f.text(), ""));
            } else {
                String call = f.line() <= lines.length ? ShellScan.clip(lines[f.line() - 1]) : "";
                out.add(new Hit(f.how(), f.affected(), true, file, line, "run: " + call, f.text(),
                        "script:" + f.location() + " " + f.text()));
            }
        }
        return out;
    }

    /**
     * A third-party action that may wrap the uploader: read where the lookup can (its action.yml, composite `run:`
     * steps, a Docker action's entrypoint script) and judged on what it runs; `possible` either way.
     */
    private Hit thirdParty(String file, int line, String uses, Match wrapper) {
        int at = uses.lastIndexOf('@');
        String[] parts = (at < 0 ? uses : uses.substring(0, at)).split("/");
        if (at < 0 || parts.length < 2) {
            return new Hit(wrapper.how(), true, true, file, line, "uses: " + uses, wrapper.detail(),
                    "third-party action not followed: no ref");
        }
        String repo = parts[0] + "/" + parts[1];
        String ref = uses.substring(at + 1);
        String sub = parts.length > 2 ? String.join("/", List.of(parts).subList(2, parts.length)) + "/" : "";
        List<String> texts = new ArrayList<>();
        try {
            Optional<String> action = read(repo, sub + "action.yml", ref);
            if (action.isEmpty()) {
                action = read(repo, sub + "action.yaml", ref);
            }
            if (action.isPresent()) {
                texts.add(action.get());
                YNode runs = parseQuietly(action.get()).get("runs");
                for (YNode st : runs.get("steps").items()) {
                    if (text(st.get("run")) != null) {
                        texts.add(text(st.get("run")));
                    }
                }
                if ("docker".equals(text(runs.get("using")))) {
                    String entry = FileLookup.normalise(
                            runs.get("entrypoint").text("entrypoint.sh"));
                    if (entry != null) {
                        read(repo, sub + entry, ref).ifPresent(texts::add);
                    }
                }
            }
        } catch (IOException e) {
            problems.add(file + ":" + line + ": cannot read " + uses + ": " + e.getMessage() + "; not followed");
        }
        if (texts.isEmpty()) {
            return new Hit(wrapper.how(), true, true, file, line, "uses: " + uses, wrapper.detail(),
                    "third-party action not followed: " + wrapper.detail());
        }
        for (String t : texts) {
            for (ScriptMatch m : matcher.affectedScript(t)) {
                return new Hit(wrapper.how(), true, true, file, line, "uses: " + uses, m.text(),
                        "followed to " + repo + "@" + ref + ": " + ShellScan.clip(m.text()));
            }
        }
        return new Hit(wrapper.how(), false, true, file, line, "uses: " + uses, wrapper.detail(),
                "followed to " + repo + "@" + ref + ": no uploader found");
    }

    private static YNode parseQuietly(String yaml) {
        try {
            return new SafeYaml().parse(yaml);
        } catch (ConfigParseException e) {
            return YNode.missing(); // judged on the raw text only
        }
    }

    /** Secrets a step hands to later steps through $GITHUB_ENV (explicitly, or as configure-aws-credentials does). */
    private List<SecretUse> exports(YNode s, String uses, String run, SecretRefs refs, String display) {
        List<SecretUse> out = new ArrayList<>();
        String via = "$GITHUB_ENV from step \"" + display + "\"";
        if (uses != null && uses.toLowerCase(Locale.ROOT).startsWith("aws-actions/configure-aws-credentials")) {
            YNode with = s.get("with");
            if (with.isMap()) {
                for (Map.Entry<String, YNode> w : with.map().entrySet()) {
                    out.addAll(refs.in(flatten(w.getValue()), via + " (" + w.getKey() + ")"));
                }
            }
        }
        if (run != null && run.contains("GITHUB_ENV")) {
            Map<String, List<SecretUse>> stepEnv = new LinkedHashMap<>();
            YNode env = s.get("env");
            if (env.isMap()) {
                env.map().forEach((k, v) -> stepEnv.put(k, refs.in(flatten(v), "")));
            }
            for (String line : run.split("\\r?\\n")) {
                if (!line.contains("GITHUB_ENV")) {
                    continue;
                }
                out.addAll(refs.in(line, via));
                Matcher m = ENV_VAR.matcher(line);
                while (m.find()) {
                    for (SecretUse u : stepEnv.getOrDefault(m.group(1), List.of())) {
                        out.add(new SecretUse(u.name(), via));
                    }
                }
            }
        }
        return dedupe(out);
    }

    private record Composite(List<Hit> hits, List<SecretUse> secrets) {}

    /** A local action (`./path`): when composite, its steps are part of the calling step. */
    private Composite composite(String file, String uses, int depth) {
        String dir = uses.substring(2).replaceAll("/+$", "");
        Optional<String> text = Optional.empty();
        String found = null;
        try {
            for (String name : List.of("action.yml", "action.yaml")) {
                text = read(null, dir + "/" + name, null);
                if (text.isPresent()) {
                    found = dir + "/" + name;
                    break;
                }
            }
        } catch (IOException e) {
            problems.add(file + ": cannot read local action " + uses + ": " + e.getMessage());
            return null;
        }
        if (text.isEmpty()) {
            problems.add(file + ": local action " + uses + " not found at this commit; not followed");
            return null;
        }
        YNode root;
        try {
            root = new SafeYaml().parse(text.get());
        } catch (ConfigParseException e) {
            problems.add(found + ": not valid YAML (" + e.getMessage() + "); not followed");
            return null;
        }
        YNode runs = root.get("runs");
        if (!"composite".equalsIgnoreCase(String.valueOf(text(runs.get("using"))))) {
            return null; // a JavaScript or Docker action in the repository: nothing to follow as YAML
        }
        List<Hit> hits = new ArrayList<>();
        List<SecretUse> secrets = new ArrayList<>();
        SecretRefs none = new SecretRefs(null);
        for (Step inner : steps(found, runs.get("steps"), none, depth + 1)) {
            if (inner.neverRuns()) {
                continue;
            }
            if (inner.hit() != null) {
                hits.add(inner.hit());
            }
            hits.addAll(inner.related());
            secrets.addAll(inner.secrets());
        }
        return new Composite(hits, secrets);
    }

    private List<SecretUse> envSecrets(YNode env, String label, SecretRefs refs) {
        List<SecretUse> out = new ArrayList<>();
        if (env.isScalar()) {
            out.addAll(refs.in(env.text(), label)); // env: ${{ fromJSON(...) }}
            return out;
        }
        if (env.isMap()) {
            for (Map.Entry<String, YNode> e : env.map().entrySet()) {
                out.addAll(refs.in(flatten(e.getValue()), label + " " + e.getKey()));
            }
        }
        return out;
    }

    /**
     * Finds secret references in expressions. Inside a reusable workflow, names are translated through what the
     * caller passed (null map: `secrets: inherit`, the same names).
     */
    private static final class SecretRefs {
        private final Map<String, List<SecretUse>> passed;

        SecretRefs(Map<String, List<SecretUse>> passed) {
            this.passed = passed;
        }

        List<SecretUse> in(String text, String via) {
            List<SecretUse> out = new ArrayList<>();
            if (text == null) {
                return out;
            }
            Matcher expr = EXPRESSION.matcher(text);
            while (expr.find()) {
                String e = expr.group(1);
                if (SECRET_ALL.matcher(e).find()) {
                    out.add(new SecretUse(WorkflowModel.ALL_SECRETS, via + " (" + e.trim() + ")"));
                }
                Matcher dot = SECRET_DOT.matcher(e);
                while (dot.find()) {
                    add(out, dot.group(1), via);
                }
                Matcher idx = SECRET_INDEX.matcher(e);
                while (idx.find()) {
                    add(out, idx.group(2), via);
                }
                if (GITHUB_TOKEN.matcher(e).find()) {
                    out.add(new SecretUse("GITHUB_TOKEN", via));
                }
            }
            return out;
        }

        private void add(List<SecretUse> out, String name, String via) {
            if (passed == null || name.equals("GITHUB_TOKEN")) {
                out.add(new SecretUse(name, via));
                return;
            }
            for (SecretUse u : passed.getOrDefault(name, List.of())) {
                out.add(new SecretUse(u.name(), via + " <- " + u.via()));
            }
        }
    }

    private static List<SecretUse> dedupe(List<SecretUse> uses) {
        Map<String, SecretUse> byName = new LinkedHashMap<>();
        uses.forEach(u -> byName.putIfAbsent(u.name(), u));
        return List.copyOf(byName.values());
    }

    /** All scalar text under a node, one per line (for secrets inside nested `with:` or credentials mappings). */
    private static String flatten(YNode node) {
        StringBuilder sb = new StringBuilder();
        for (YNode scalar : node.scalars()) {
            sb.append(scalar.text()).append('\n');
        }
        return sb.toString();
    }

    /** The text of a scalar node; null for a missing, null, mapping or sequence node. */
    private static String text(YNode node) {
        return node.isScalar() ? node.text() : null;
    }

    private static String environmentName(YNode env) {
        String name = env.isScalar() ? env.text() : text(env.get("name"));
        return name == null || name.isBlank() ? null : name.trim();
    }

    private static String firstLine(String script) {
        for (String line : script.split("\r?\n")) {
            if (!line.isBlank()) {
                return line.trim();
            }
        }
        return "";
    }

    /** A name with `${{ ... }}` parts: literal text quoted, expressions as wildcards. */
    static Pattern namePattern(String name) {
        return Pattern.compile("^" + wildcard(name.trim()) + "$");
    }

    private static String wildcard(String name) {
        StringBuilder re = new StringBuilder();
        Matcher m = EXPRESSION.matcher(name);
        int last = 0;
        while (m.find()) {
            re.append(Pattern.quote(name.substring(last, m.start()))).append(".*");
            last = m.end();
        }
        re.append(Pattern.quote(name.substring(last)));
        return re.toString();
    }

    /** A matrix job without `name:` is shown as `key (a, b)`; a reusable workflow's jobs as `caller / inner`. */
    private static Pattern jobNamePattern(String prefix, String display, boolean matrixSuffix, boolean callerMatrix) {
        String p = prefix.isEmpty() ? "" : callerMatrix ? wildcard(prefix.substring(0, prefix.length() - 3))
                + "( \\(.*\\))? / " : wildcard(prefix);
        return Pattern.compile("^" + p + wildcard(display.trim()) + (matrixSuffix ? "( \\(.*\\))?" : "") + "$");
    }
}
