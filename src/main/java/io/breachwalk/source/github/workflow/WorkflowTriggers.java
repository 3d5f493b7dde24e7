package io.breachwalk.source.github.workflow;


import io.breachwalk.detect.yaml.SafeYaml;
import io.breachwalk.detect.yaml.YNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a workflow runs, as far as its file says: the `on:` events with their branch and path filters, and each job's
 * `if:`. Used where the run records have expired (DESIGN 4.6) to tell whether a configuration in effect on a branch
 * would have run a job: certainly (a push to that branch), maybe (a filter on paths, a manual or external event, a
 * condition that cannot be read), or never (the filters rule the branch out).
 */
public final class WorkflowTriggers {
    public enum Fire { CERTAIN, MAYBE, NEVER }

    /** An event that could start the workflow, and how sure that is. */
    public record Chance(String event, Fire fire) {}

    private record Trigger(List<String> branches, List<String> branchesIgnore, boolean paths, boolean tagsOnly) {}

    private static final Pattern EVENT_NAME = Pattern.compile(
            "^\\s*(?:\\$\\{\\{)?\\s*github\\.event_name\\s*(==|!=)\\s*'([A-Za-z_]+)'\\s*(?:}})?\\s*$");
    private static final Pattern ALWAYS_TRUE = Pattern.compile(
            "^\\s*(?:\\$\\{\\{)?\\s*(?:true|success\\(\\)|always\\(\\)|!cancelled\\(\\))\\s*(?:}})?\\s*$");
    private static final Pattern LITERAL_FALSE = Pattern.compile("^\\s*(?:\\$\\{\\{)?\\s*false\\s*(?:}})?\\s*$");

    private final Map<String, Trigger> events;
    private final Map<String, String> jobConditions;

    private WorkflowTriggers(Map<String, Trigger> events, Map<String, String> jobConditions) {
        this.events = events;
        this.jobConditions = jobConditions;
    }

    /** Reads `on:` and the jobs' `if:`; a file that does not parse has no known events (every chance is MAYBE). */
    public static WorkflowTriggers parse(String yaml) {
        Map<String, Trigger> events = new LinkedHashMap<>();
        Map<String, String> conditions = new LinkedHashMap<>();
        YNode root;
        try {
            root = new SafeYaml().parse(yaml);
        } catch (RuntimeException | io.breachwalk.detect.ConfigParseException e) {
            return new WorkflowTriggers(null, conditions);
        }
        if (!root.isMap()) {
            return new WorkflowTriggers(null, conditions);
        }
        YNode on = root.get("on");
        if (!on.isPresent()) {
            on = root.get("true"); // YAML 1.1 reads a bare `on` as true
        }
        if (on.isScalar()) {
            events.put(on.text().trim(), new Trigger(null, null, false, false));
        } else if (on.isSeq()) {
            for (YNode e : on.seq()) {
                if (e.isScalar()) {
                    events.put(e.text().trim(), new Trigger(null, null, false, false));
                }
            }
        } else if (on.isMap()) {
            for (Map.Entry<String, YNode> e : on.map().entrySet()) {
                YNode f = e.getValue();
                if (!f.isMap()) {
                    events.put(e.getKey(), new Trigger(null, null, false, false));
                    continue;
                }
                boolean tagsOnly = (f.get("tags").isPresent() || f.get("tags-ignore").isPresent())
                        && !f.get("branches").isPresent() && !f.get("branches-ignore").isPresent();
                events.put(e.getKey(), new Trigger(names(f.get("branches")), names(f.get("branches-ignore")),
                        f.get("paths").isPresent() || f.get("paths-ignore").isPresent(), tagsOnly));
            }
        } else {
            return new WorkflowTriggers(null, conditions);
        }
        if (root.get("jobs").isMap()) {
            for (Map.Entry<String, YNode> j : root.get("jobs").map().entrySet()) {
                YNode cond = j.getValue().isMap() ? j.getValue().get("if") : YNode.missing();
                if (cond.isScalar()) {
                    conditions.put(j.getKey(), cond.text());
                }
            }
        }
        return new WorkflowTriggers(events, conditions);
    }

    private static List<String> names(YNode n) {
        if (!n.isPresent()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (n.isScalar()) {
            out.add(n.text());
        } else if (n.isSeq()) {
            n.seq().stream().filter(YNode::isScalar).forEach(x -> out.add(x.text()));
        }
        return out;
    }

    public String jobCondition(String key) {
        return jobConditions.get(key);
    }

    /**
     * The events that could have run this configuration as a branch's version: a push to it, a schedule (default
     * branch only), a pull_request_target whose base it is, a manual or external event. A `pull_request` runs the
     * pull request's head, judged from the pull requests themselves ({@link #onPullRequest}).
     */
    public List<Chance> onBranch(String branch, boolean defaultBranch) {
        if (events == null) {
            return List.of(new Chance("unknown", Fire.MAYBE));
        }
        List<Chance> out = new ArrayList<>();
        for (Map.Entry<String, Trigger> e : events.entrySet()) {
            String event = e.getKey();
            Trigger t = e.getValue();
            Fire fire = switch (event) {
                case "push" -> t.tagsOnly() || !matches(t, branch) ? Fire.NEVER : t.paths() ? Fire.MAYBE : Fire.CERTAIN;
                case "schedule" -> defaultBranch ? Fire.CERTAIN : Fire.NEVER;
                case "pull_request_target" -> matches(t, branch) ? Fire.MAYBE : Fire.NEVER;
                case "pull_request", "workflow_call" -> Fire.NEVER;
                default -> Fire.MAYBE; // workflow_dispatch, release, workflow_run, ...: could have happened
            };
            if (fire != Fire.NEVER) {
                out.add(new Chance(event, fire));
            }
        }
        return out;
    }

    /** A pull request's head, for a pull request into {@code base}: only `pull_request` runs that version. */
    public List<Chance> onPullRequest(String base) {
        if (events == null) {
            return List.of(new Chance("pull_request", Fire.MAYBE));
        }
        Trigger t = events.get("pull_request");
        if (t == null || !matches(t, base)) {
            return List.of();
        }
        return List.of(new Chance("pull_request", t.paths() ? Fire.MAYBE : Fire.CERTAIN));
    }

    private static boolean matches(Trigger t, String branch) {
        if (t.branches() != null) {
            boolean any = false;
            for (String p : t.branches()) {
                if (p.startsWith("!")) {
                    if (glob(p.substring(1)).matcher(branch).matches()) {
                        any = false;
                    }
                } else if (glob(p).matcher(branch).matches()) {
                    any = true;
                }
            }
            return any;
        }
        if (t.branchesIgnore() != null) {
            return t.branchesIgnore().stream().noneMatch(p -> glob(p).matcher(branch).matches());
        }
        return true;
    }

    /** GitHub's filter patterns: `**` any characters, `*` any but `/`, `?` one of the previous character. */
    static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?' || c == '+') {
                re.append(c);
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** How an `if:` reads for one event: TRUE, FALSE, or null when it cannot be told from the file. */
    public static Boolean condition(String cond, String event) {
        if (cond == null || cond.isBlank() || ALWAYS_TRUE.matcher(cond).matches()) {
            return Boolean.TRUE;
        }
        if (LITERAL_FALSE.matcher(cond).matches()) {
            return Boolean.FALSE;
        }
        Matcher m = EVENT_NAME.matcher(cond);
        if (m.matches() && !event.equals("unknown")) {
            boolean same = m.group(2).equals(event);
            return m.group(1).equals("==") == same;
        }
        return null;
    }
}
