package io.breachwalk.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.Match;
import io.breachwalk.detect.ScriptMatch;
import io.breachwalk.model.Confidence;
import io.breachwalk.model.Verdict;
import io.breachwalk.source.github.workflow.WorkflowModel;
import io.breachwalk.source.github.workflow.WorkflowModel.Hit;
import io.breachwalk.source.github.workflow.WorkflowModel.Job;
import io.breachwalk.source.github.workflow.WorkflowModel.Step;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides from a job's step records (jobs API) whether the workflow step that runs the compromised code executed.
 * Records are named after the YAML (`name:`, or `Run <uses>` / `Run <first line of run:>`); "Set up job",
 * "Complete job" and the `Pre `/`Post ` steps of actions are GitHub's own and are skipped when aligning.
 */
final class StepJudge {
    private static final Set<String> EXECUTED = Set.of("success", "failure", "neutral", "timed_out", "cancelled");
    private static final Set<String> ENDED_EARLY = Set.of("failure", "cancelled", "timed_out", "startup_failure");

    record Record(int number, String name, String status, String conclusion) {}

    /** The verdict, the uploader step it rests on (for exposures) and the evidence line. */
    record Judgement(Verdict verdict, Confidence confidence, Step uploader, String evidence) {}

    /** A judgement from step records alone (no workflow file); {@code action} when the uploader was an action. */
    record RecordJudgement(Verdict verdict, Confidence confidence, boolean action, String evidence) {}

    /** A step record whose name names an indicator, and what the matcher said of it. */
    private record Named(Record record, boolean affected, boolean possible, boolean action, String detail) {}

    private StepJudge() {}

    static Judgement judge(JsonNode jobJson, Job job, String sha7) {
        List<Record> records = records(jobJson);
        String jobConclusion = jobJson.path("conclusion").isNull() ? null : jobJson.path("conclusion").asText(null);
        List<Step> hits = job.hits();
        Step first = hits.get(0);
        if (records.isEmpty()) {
            if ("skipped".equals(jobConclusion)) {
                return new Judgement(Verdict.NOT_RUN, Confidence.CONFIRMED, first,
                        "job skipped (no steps ran); " + config(first, sha7));
            }
            if (jobConclusion != null && ENDED_EARLY.contains(jobConclusion)) {
                return new Judgement(Verdict.NOT_RUN, Confidence.PROBABLE, first,
                        "job " + jobConclusion + " with no step records; " + config(first, sha7));
            }
            return new Judgement(Verdict.RAN, cap(Confidence.PROBABLE, first), first,
                    "no step records; the workflow at the run's commit runs it: " + config(first, sha7));
        }
        Map<Step, Record> aligned = align(job.steps(), records);
        Judgement notRun = null;
        Judgement unknown = null;
        for (Step hit : hits) {
            Record r = aligned.get(hit);
            if (r != null) {
                String rec = "step " + r.number() + " \"" + r.name() + "\" " + (r.conclusion() == null ? r.status() : r.conclusion());
                if ("skipped".equals(r.conclusion())) {
                    notRun = notRun != null ? notRun : new Judgement(Verdict.NOT_RUN, Confidence.CONFIRMED, hit,
                            rec + "; " + config(hit, sha7));
                } else if (!"completed".equals(r.status()) || r.conclusion() == null || !EXECUTED.contains(r.conclusion())) {
                    notRun = notRun != null ? notRun : new Judgement(Verdict.NOT_RUN, Confidence.PROBABLE, hit,
                            rec + " (never started); " + config(hit, sha7));
                } else {
                    Confidence c = hit.hit().via().isEmpty() ? Confidence.CONFIRMED : Confidence.PROBABLE;
                    return new Judgement(Verdict.RAN, cap(c, hit), hit, rec + "; " + config(hit, sha7));
                }
            } else if (jobConclusion != null && ENDED_EARLY.contains(jobConclusion)) {
                Record lastRun = lastExecuted(records);
                notRun = notRun != null ? notRun : new Judgement(Verdict.NOT_RUN, Confidence.PROBABLE, hit,
                        "job " + jobConclusion + " before the step (step records end at "
                                + (lastRun == null ? "the start" : "step " + lastRun.number() + " \"" + lastRun.name() + "\"")
                                + "); " + config(hit, sha7));
            } else {
                unknown = unknown != null ? unknown : new Judgement(Verdict.UNKNOWN, cap(Confidence.PROBABLE, hit), hit,
                        "no step record matches \"" + hit.displayName() + "\" among " + records.size()
                                + " step records; " + config(hit, sha7));
            }
        }
        return unknown != null ? unknown : notRun;
    }

    private static List<Record> records(JsonNode jobJson) {
        List<Record> records = new ArrayList<>();
        for (JsonNode s : jobJson.path("steps")) {
            records.add(new Record(s.path("number").asInt(), s.path("name").asText(), s.path("status").asText(),
                    s.path("conclusion").isNull() ? null : s.path("conclusion").asText(null)));
        }
        return records;
    }

    /**
     * A job of a run whose workflow file could not be read (CONFIG_NOT_FOUND): its step records are all there is. A
     * record named after the uploader (`Run codecov/codecov-action@v1`, `Run curl -s https://codecov.io/bash | bash`,
     * any name holding a script indicator) that executed makes the job RAN, probable (the name is the only witness);
     * every other job is UNKNOWN, said why. A skipped uploader step is not taken as NOT_RUN: other steps may have
     * run the uploader under names that do not show it (a record shows a step's name or its command's first line).
     */
    static RecordJudgement judgeByRecords(JsonNode jobJson, IndicatorMatcher matcher, String sha7) {
        String unreadable = "workflow file not readable at " + sha7;
        List<Record> records = records(jobJson);
        String jobConclusion = jobJson.path("conclusion").isNull() ? null : jobJson.path("conclusion").asText(null);
        if (records.isEmpty()) {
            String why = "skipped".equals(jobConclusion) ? "job skipped, no step ran"
                    : "the job has no step records" + (jobConclusion == null ? "" : " (job " + jobConclusion + ")");
            return new RecordJudgement(Verdict.UNKNOWN, Confidence.POSSIBLE, false, unreadable + "; " + why
                    + ": which steps it had cannot be told");
        }
        Named notExecuted = null;
        Named unaffected = null;
        for (Record r : records) {
            if (isSynthetic(r.name())) {
                continue;
            }
            Optional<Named> named = names(r, matcher);
            if (named.isEmpty()) {
                continue;
            }
            Named n = named.get();
            if (!n.affected()) {
                unaffected = unaffected != null ? unaffected : n;
            } else if ("completed".equals(r.status()) && r.conclusion() != null && EXECUTED.contains(r.conclusion())) {
                Confidence c = n.possible() ? Confidence.POSSIBLE : Confidence.PROBABLE;
                return new RecordJudgement(Verdict.RAN, c, n.action(), unreadable + "; " + describe(r)
                        + (n.possible() ? " (" + n.detail() + ")" : ""));
            } else {
                notExecuted = notExecuted != null ? notExecuted : n;
            }
        }
        String why;
        if (notExecuted != null) {
            why = describe(notExecuted.record()) + ", and no other step record names the uploader; steps named "
                    + "otherwise cannot be checked without the file";
        } else if (unaffected != null) {
            why = describe(unaffected.record()) + ": " + unaffected.detail() + "; no step record names an affected "
                    + "form, and steps named otherwise cannot be checked without the file";
        } else {
            why = "none of its " + records.size() + " step records names the uploader (a record shows only a step's "
                    + "name or its command's first line)";
        }
        return new RecordJudgement(Verdict.UNKNOWN, Confidence.POSSIBLE, false, unreadable + "; " + why);
    }

    /** `step 5 "Run codecov/codecov-action@v1" success`. */
    private static String describe(Record r) {
        return "step " + r.number() + " \"" + r.name() + "\" " + (r.conclusion() == null ? r.status() : r.conclusion());
    }

    /**
     * Whether a record's name names an indicator: `Run <uses>` (GitHub's name for an unnamed action step) through
     * the playbook's actions, else the command (`Run <first line of run:>`) or a custom name through its scripts.
     */
    private static Optional<Named> names(Record r, IndicatorMatcher matcher) {
        String name = r.name().trim();
        String command = name.startsWith("Run ") ? name.substring(4).trim() : name;
        if (name.startsWith("Run ") && !command.isEmpty() && command.indexOf(' ') < 0) {
            Optional<Match> action = matcher.action(command);
            if (action.isPresent()) {
                Match m = action.get();
                return Optional.of(new Named(r, m.affected(), m.possible(), true, m.detail()));
            }
        }
        List<ScriptMatch> script = matcher.script(command);
        ScriptMatch first = script.stream().filter(ScriptMatch::affected).findFirst()
                .orElse(script.isEmpty() ? null : script.get(0));
        if (first == null) {
            return Optional.empty();
        }
        return Optional.of(new Named(r, first.affected(), first.possible(), false,
                first.affected() ? first.how() : "\"" + first.text() + "\" does not run the uploader (" + first.how() + ")"));
    }

    /** `.github/workflows/ci.yml@3f2a1c0:41 uses: codecov/codecov-action@v1` (+ the followed composite action). */
    static String config(Step step, String sha7) {
        Hit h = step.hit();
        String where = h.file().contains("@") ? h.location() : h.file() + "@" + sha7 + ":" + h.line();
        String via = h.via().isEmpty() ? "" : " -> " + h.via();
        return where + " " + h.text() + via;
    }

    private static Confidence cap(Confidence c, Step hit) {
        return hit.hit().possible() ? Confidence.POSSIBLE : c;
    }

    /**
     * Pairs workflow steps with step records in order: each step takes the next record whose name matches its
     * display name; when names do not line up at all and the counts agree, position decides.
     */
    static Map<Step, Record> align(List<Step> steps, List<Record> records) {
        List<Record> own = records.stream().filter(r -> !isSynthetic(r.name())).toList();
        Map<Step, Record> out = new IdentityHashMap<>();
        int from = 0;
        for (Step s : steps) {
            for (int i = from; i < own.size(); i++) {
                if (s.namePattern().matcher(own.get(i).name()).matches()) {
                    out.put(s, own.get(i));
                    from = i + 1;
                    break;
                }
            }
        }
        if (out.size() < steps.size() && own.size() == steps.size()) {
            for (int i = 0; i < steps.size(); i++) {
                out.putIfAbsent(steps.get(i), own.get(i));
            }
        }
        return out;
    }

    private static boolean isSynthetic(String name) {
        return name.equals("Set up job") || name.equals("Complete job") || name.startsWith("Post ")
                || name.startsWith("Pre ") || name.startsWith("Set up runner") || name.equals("Build container for action")
                || name.startsWith("Initialize containers") || name.startsWith("Stop containers");
    }

    private static Record lastExecuted(List<Record> records) {
        Record last = null;
        for (Record r : records) {
            if (r.conclusion() != null && EXECUTED.contains(r.conclusion()) && !r.name().equals("Complete job")) {
                last = r;
            }
        }
        return last;
    }
}
