package io.breachwalk.source.github.workflow;


import io.breachwalk.model.ExposureLevel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What {@link WorkflowAnalyzer} finds in a workflow file: jobs, steps, indicator hits and secret references. */
public final class WorkflowModel {
    private WorkflowModel() {}

    /** Secret name used for "every secret available to the repository" (toJSON(secrets), dynamic secrets[...]). */
    public static final String ALL_SECRETS = "*";

    /**
     * The analysis of one workflow file. {@code problems}: things not followed (a composite action or reusable
     * workflow that could not be read), for the evidence and for `inspect`.
     */
    public record Workflow(String path, List<Job> jobs, List<String> problems) {
        /** True when some job has a step that runs the compromised code (an affected indicator). */
        public boolean referencesIndicator() {
            return jobs.stream().anyMatch(j -> !j.hits().isEmpty());
        }
    }

    /**
     * A job as the jobs API will name it. {@code namePattern} matches the API job names it produces (matrix cells
     * `test (3.8)`, expressions in `name:`, reusable workflows `caller / inner`). {@code envSecrets}: workflow and
     * job `env:` secrets (STEP scope for every step); {@code otherSecrets}: job-level credentials outside any step's
     * environment (container/services credentials): JOB scope. {@code callerKey}: for a job of a called reusable
     * workflow, the key of the calling job in the analysed file (what `inspect` reports it as); null otherwise.
     */
    public record Job(String key, String displayName, Pattern namePattern, boolean matrix, String environment,
                      int line, List<Step> steps, List<SecretUse> envSecrets, List<SecretUse> otherSecrets,
                      String file, String callerKey) {
        /** The key of this job in the analysed file: its own, or that of the job that calls its workflow. */
        public String fileKey() {
            return callerKey == null ? key : callerKey;
        }

        public List<Step> hits() {
            return steps.stream().filter(s -> s.hit() != null).toList();
        }

        /**
         * The secrets in scope when {@code uploader} runs: STEP for what its process received (workflow/job/step
         * env, with: inputs, secrets in its script, $GITHUB_ENV written by earlier steps), JOB for the rest of the job.
         * One entry per name, the strongest level winning (first via kept).
         */
        public List<ScopedSecret> scope(Step uploader) {
            Map<String, ScopedSecret> out = new LinkedHashMap<>();
            envSecrets.forEach(s -> add(out, s, ExposureLevel.STEP));
            uploader.secrets().forEach(s -> add(out, s, ExposureLevel.STEP));
            for (Step s : steps) {
                if (s.position() < uploader.position()) {
                    s.exportsToEnv().forEach(x -> add(out, x, ExposureLevel.STEP));
                }
            }
            for (Step s : steps) {
                if (s != uploader) {
                    s.secrets().forEach(x -> add(out, x, ExposureLevel.JOB));
                    s.exportsToEnv().forEach(x -> add(out, x, ExposureLevel.JOB));
                }
            }
            otherSecrets.forEach(s -> add(out, s, ExposureLevel.JOB));
            return new ArrayList<>(out.values());
        }

        private static void add(Map<String, ScopedSecret> out, SecretUse use, ExposureLevel level) {
            ScopedSecret before = out.get(use.name());
            if (before == null || (before.level() == ExposureLevel.JOB && level == ExposureLevel.STEP)) {
                out.put(use.name(), new ScopedSecret(use.name(), level, use.via()));
            }
        }
    }

    /**
     * A step. {@code position}: 1-based among the job's steps; {@code displayName}: the name the jobs API shows
     * (`name:`, else `Run <uses>` or `Run <first line of run:>`), {@code namePattern} the same with expressions as
     * wildcards. {@code secrets}: what this step's process receives (step env, with: inputs, secrets interpolated into
     * its script, and for a composite action everything inside it); {@code exportsToEnv}: secrets it appends to
     * $GITHUB_ENV for later steps. {@code hit}: how it runs the compromised code, or null; {@code related}: indicator
     * mentions that do not run it (codecov-action@v2, the Python codecov package).
     */
    public record Step(int position, String name, String displayName, Pattern namePattern, String uses, String run,
                       String condition, int line, Hit hit, List<Hit> related, List<SecretUse> secrets,
                       List<SecretUse> exportsToEnv) {
        private static final Pattern LITERAL_FALSE = Pattern.compile("^\\s*(\\$\\{\\{\\s*)?false(\\s*}})?\\s*$");

        /**
         * `if: false` (or `${{ false }}`): the step is defined but can never run. The walk still lists the job (its
         * step record says skipped); `inspect`, which has no step records, does not count it.
         */
        public boolean neverRuns() {
            return condition != null && LITERAL_FALSE.matcher(condition).matches();
        }
    }

    /**
     * An indicator found in a step. {@code location}: `file:line`, {@code text}: the `uses:`/`run:` line;
     * {@code via}: for a followed composite action, repository script (`script:scripts/upload.sh:3 ...`) or
     * third-party action, the chain from the step (empty when direct). {@code possible}: indirect, at most `possible`.
     */
    public record Hit(String how, boolean affected, boolean possible, String file, int line, String text,
                      String detail, String via) {
        public String location() {
            return file + ":" + line;
        }
    }

    /** A secret reference: the secret's name (or {@link #ALL_SECRETS}) and how it reaches the process. */
    public record SecretUse(String name, String via) {}

    public record ScopedSecret(String name, ExposureLevel level, String via) {}
}
