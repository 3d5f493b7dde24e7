package io.breachwalk.source.github;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.Match;
import io.breachwalk.detect.ScriptMatch;
import io.breachwalk.source.github.WorkflowModel.Hit;
import io.breachwalk.source.github.WorkflowModel.Job;
import io.breachwalk.source.github.WorkflowModel.SecretUse;
import io.breachwalk.source.github.WorkflowModel.Step;
import io.breachwalk.source.github.WorkflowModel.Workflow;
import io.breachwalk.source.github.YamlTree.Y;

import java.io.IOException;
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
 * Local composite actions and reusable workflows are followed through a {@link FileLookup}. Used by the GitHub walk
 * (files at a run's commit) and by `inspect` (files on disk):
 * {@code WorkflowAnalyzer.analyze(".github/workflows/ci.yml", text, lookup, matcher)}.
 */
public final class WorkflowAnalyzer {

    /** Reads a file the workflow refers to. {@code repo} null: the same repository at the same commit (ref null). */
    @FunctionalInterface
    public interface FileLookup {
        Optional<String> read(String repo, String path, String ref) throws IOException;

        FileLookup NONE = (repo, path, ref) -> Optional.empty();
    }

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

    /** Analyzes one workflow file. */
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
        Y root;
        try {
            root = YamlTree.parse(yaml);
        } catch (YamlTree.ParseException e) {
            throw new UnparsableWorkflowException(path + ": " + e.getMessage());
        }
        if (!root.isMap() || root.get("jobs") == null || !root.get("jobs").isMap()) {
            throw new UnparsableWorkflowException(path + ": no `jobs:` mapping");
        }
        SecretRefs refs = new SecretRefs(secretMap);
        List<SecretUse> workflowEnv = envSecrets(root.get("env"), "workflow env", refs);
        List<Job> jobs = new ArrayList<>();
        for (Map.Entry<String, Y> e : root.get("jobs").map().entrySet()) {
            Y job = e.getValue();
            if (!job.isMap()) {
                throw new UnparsableWorkflowException(path + ":" + job.line() + ": job " + e.getKey() + " is not a mapping");
            }
            String display = job.textOf("name") != null ? job.textOf("name") : e.getKey();
            boolean matrix = job.get("strategy") != null && job.get("strategy").get("matrix") != null;
            String prefix = caller == null ? "" : caller.display() + " / ";
            Pattern namePattern = jobNamePattern(prefix, display, job.textOf("name") == null && matrix,
                    caller != null && caller.matrix());
            if (job.textOf("uses") != null && !job.textOf("uses").isBlank()) {
                jobs.addAll(reusable(path, e.getKey(), job, display, matrix, refs, depth));
                continue;
            }
            List<SecretUse> env = new ArrayList<>(workflowEnv);
            env.addAll(envSecrets(job.get("env"), "job env", refs));
            List<SecretUse> other = new ArrayList<>();
            for (String part : List.of("container", "services")) {
                if (job.get(part) != null) {
                    other.addAll(refs.in(flatten(job.get(part)), part + " credentials"));
                }
            }
            String environment = environmentName(job.get("environment"));
            if (environment == null && caller != null) {
                environment = caller.environment();
            }
            List<Step> steps = steps(path, job.get("steps"), refs, depth);
            jobs.add(new Job(e.getKey(), prefix + display, namePattern, matrix, environment, job.line(), steps,
                    List.copyOf(env), List.copyOf(other), path));
        }
        return jobs;
    }

    private record CallerJob(String display, boolean matrix, String environment) {}

    /** A job that calls a reusable workflow: its jobs run as `caller / inner`, with the secrets passed to them. */
    private List<Job> reusable(String path, String key, Y job, String display, boolean matrix, SecretRefs refs,
                               int depth) throws UnparsableWorkflowException {
        String uses = job.textOf("uses").trim();
        Optional<String> text = Optional.empty();
        String calledPath = uses;
        if (depth < MAX_NESTING) {
            try {
                if (uses.startsWith("./")) {
                    calledPath = uses.substring(2);
                    text = lookup.read(null, calledPath, null);
                } else {
                    int at = uses.lastIndexOf('@');
                    String[] parts = (at < 0 ? uses : uses.substring(0, at)).split("/", 3);
                    if (parts.length == 3 && at > 0) {
                        calledPath = parts[2];
                        text = lookup.read(parts[0] + "/" + parts[1], parts[2], uses.substring(at + 1));
                    }
                }
            } catch (IOException e) {
                problems.add(path + ":" + job.line() + ": cannot read reusable workflow " + uses + ": " + e.getMessage());
                return List.of();
            }
        }
        if (text.isEmpty()) {
            problems.add(path + ":" + job.line() + ": reusable workflow " + uses + " not found; job " + key + " not followed");
            return List.of();
        }
        Map<String, List<SecretUse>> passed = null; // inherit
        Y secrets = job.get("secrets");
        if (secrets == null || (secrets.isText() && !secrets.text().trim().equals("inherit"))) {
            passed = Map.of();
        } else if (secrets.isMap()) {
            passed = new LinkedHashMap<>();
            for (Map.Entry<String, Y> s : secrets.map().entrySet()) {
                passed.put(s.getKey(), refs.in(flatten(s.getValue()), "secrets: " + s.getKey() + " of " + uses));
            }
        }
        CallerJob caller = new CallerJob(display, matrix, environmentName(job.get("environment")));
        // A remote workflow is cited as owner/repo/path@ref (its own commit is not ours); a local one by path.
        String file = uses.startsWith("./") ? calledPath : uses;
        return workflow(file, text.get(), caller, passed, depth + 1);
    }

    private List<Step> steps(String file, Y stepsNode, SecretRefs refs, int depth) {
        List<Step> steps = new ArrayList<>();
        if (stepsNode == null || !stepsNode.isList()) {
            return steps;
        }
        int position = 0;
        for (Y s : stepsNode.list()) {
            position++;
            if (!s.isMap()) {
                continue;
            }
            steps.add(step(file, position, s, refs, depth));
        }
        return steps;
    }

    private Step step(String file, int position, Y s, SecretRefs refs, int depth) {
        String name = s.textOf("name");
        String uses = s.textOf("uses") == null ? null : s.textOf("uses").trim();
        Y runNode = s.get("run");
        String run = runNode == null ? null : runNode.text();
        String display = name != null ? name
                : uses != null ? "Run " + uses
                : "Run " + firstLine(run == null ? "" : run);

        List<SecretUse> secrets = new ArrayList<>(envSecrets(s.get("env"), "step env", refs));
        Y with = s.get("with");
        if (with != null && with.isMap()) {
            for (Map.Entry<String, Y> w : with.map().entrySet()) {
                String input = "INPUT_" + w.getKey().replace(' ', '_').toUpperCase(Locale.ROOT);
                secrets.addAll(refs.in(flatten(w.getValue()), "with: " + w.getKey() + " (" + input + ")"));
            }
        }
        if (run != null) {
            secrets.addAll(refs.in(run, "run: script"));
        }

        Hit hit = null;
        List<Hit> related = new ArrayList<>();
        if (uses != null) {
            Optional<Match> m = matcher.action(uses);
            if (m.isPresent()) {
                Hit h = new Hit(m.get().how(), m.get().affected(), m.get().possible(), file, s.get("uses").line(),
                        "uses: " + uses, m.get().detail(), "");
                if (h.affected()) {
                    hit = h;
                } else {
                    related.add(h);
                }
            } else if (uses.startsWith("./") && depth < MAX_NESTING) {
                Composite c = composite(file, uses, depth);
                if (c != null) {
                    secrets.addAll(c.secrets());
                    for (Hit inner : c.hits()) {
                        Hit chained = new Hit(inner.how(), inner.affected(), inner.possible(), file,
                                s.get("uses").line(), "uses: " + uses, inner.detail(),
                                inner.location() + " " + inner.text());
                        if (inner.affected() && hit == null) {
                            hit = chained;
                        } else if (!inner.affected()) {
                            related.add(chained);
                        }
                    }
                }
            }
        }
        if (run != null) {
            for (ScriptMatch m : matcher.script(run)) {
                Hit h = new Hit(m.how(), m.affected(), m.possible(), file, runNode.lineOf(m.line()),
                        "run: " + m.text(), m.text(), "");
                if (m.affected() && hit == null) {
                    hit = h;
                } else if (!m.affected()) {
                    related.add(h);
                }
            }
        }
        return new Step(position, name, display, namePattern(display), uses, run, s.textOf("if"),
                s.line(), hit, List.copyOf(related), dedupe(secrets), exports(s, uses, run, refs, display));
    }

    /** Secrets a step hands to later steps through $GITHUB_ENV (explicitly, or as configure-aws-credentials does). */
    private List<SecretUse> exports(Y s, String uses, String run, SecretRefs refs, String display) {
        List<SecretUse> out = new ArrayList<>();
        String via = "$GITHUB_ENV from step \"" + display + "\"";
        if (uses != null && uses.toLowerCase(Locale.ROOT).startsWith("aws-actions/configure-aws-credentials")) {
            Y with = s.get("with");
            if (with != null && with.isMap()) {
                for (Map.Entry<String, Y> w : with.map().entrySet()) {
                    out.addAll(refs.in(flatten(w.getValue()), via + " (" + w.getKey() + ")"));
                }
            }
        }
        if (run != null && run.contains("GITHUB_ENV")) {
            Map<String, List<SecretUse>> stepEnv = new LinkedHashMap<>();
            Y env = s.get("env");
            if (env != null && env.isMap()) {
                env.map().forEach((k, v) -> stepEnv.put(k, refs.in(flatten(v), "")));
            }
            for (String line : run.split("\r?\n")) {
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
                text = lookup.read(null, dir + "/" + name, null);
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
        Y root;
        try {
            root = YamlTree.parse(text.get());
        } catch (YamlTree.ParseException e) {
            problems.add(found + ": not valid YAML (" + e.getMessage() + "); not followed");
            return null;
        }
        Y runs = root.get("runs");
        if (runs == null || !"composite".equalsIgnoreCase(String.valueOf(runs.textOf("using")))) {
            return null; // a JavaScript or Docker action in the repository: nothing to follow as YAML
        }
        List<Hit> hits = new ArrayList<>();
        List<SecretUse> secrets = new ArrayList<>();
        SecretRefs none = new SecretRefs(null);
        for (Step inner : steps(found, runs.get("steps"), none, depth + 1)) {
            if (inner.hit() != null) {
                hits.add(inner.hit());
            }
            hits.addAll(inner.related());
            secrets.addAll(inner.secrets());
        }
        return new Composite(hits, secrets);
    }

    private List<SecretUse> envSecrets(Y env, String label, SecretRefs refs) {
        List<SecretUse> out = new ArrayList<>();
        if (env == null) {
            return out;
        }
        if (env.isText()) {
            out.addAll(refs.in(env.text(), label)); // env: ${{ fromJSON(...) }}
            return out;
        }
        if (env.isMap()) {
            for (Map.Entry<String, Y> e : env.map().entrySet()) {
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
    private static String flatten(Y node) {
        if (node == null) {
            return "";
        }
        if (node.isText()) {
            return node.text();
        }
        StringBuilder sb = new StringBuilder();
        if (node.isList()) {
            node.list().forEach(n -> sb.append(flatten(n)).append('\n'));
        } else {
            node.map().values().forEach(n -> sb.append(flatten(n)).append('\n'));
        }
        return sb.toString();
    }

    private static String environmentName(Y env) {
        if (env == null) {
            return null;
        }
        String name = env.isText() ? env.text() : env.textOf("name");
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
