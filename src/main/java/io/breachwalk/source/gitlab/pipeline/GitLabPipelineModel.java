package io.breachwalk.source.gitlab.pipeline;

import java.util.List;

/**
 * What {@link GitLabPipelineAnalyzer} finds in a GitLab CI configuration: the jobs GitLab would create from it, each
 * with its effective script lines and the lines that match an indicator. Conditions (`when:`, `rules:`, `only:`,
 * `except:`) are kept as data: whether a job ran in a given pipeline is decided later, against that pipeline's ref
 * and source (or by the pipeline's own job records). Variables are names only: a value is never copied.
 */
public final class GitLabPipelineModel {
    private GitLabPipelineModel() {}

    /** {@link Job#parallel()} of a `parallel: matrix:` job. */
    public static final int PARALLEL_MATRIX = -1;

    /**
     * The analysis of one root configuration with its local includes.
     * @param includedFiles      files merged in, in the order they were read: local ones (repository paths), and
     *                           `project:`/`template:`/`remote:` ones the lookup's readRemote served
     * @param unresolvedIncludes includes not read: `project:`, `template:`, `remote:` ones the lookup could not serve,
     *                           `component:`, and local ones that are missing or use wildcards; the walk fetches
     *                           them or records a coverage gap
     * @param problems           things not followed, one line each, for the evidence
     */
    public record Pipeline(String path, List<Job> jobs, List<String> stages, List<Rule> workflowRules,
                           List<String> globalVariables, List<Include> includedFiles,
                           List<Include> unresolvedIncludes, List<String> problems) {
        /** True when some job runs the compromised code according to the configuration. */
        public boolean referencesIndicator() {
            return jobs.stream().anyMatch(Job::usesIndicator);
        }

        public java.util.Optional<Job> job(String name) {
            return jobs.stream().filter(j -> j.name().equals(name)).findFirst();
        }
    }

    /**
     * A job (hidden `.name` templates are never jobs; their content counts where a job extends or references them).
     * @param file        where the job is defined (the root path, or the local include that defines it)
     * @param when        the job's own `when:` ("on_success" when absent; "manual", "delayed", "never", "always", ...)
     * @param rules       `rules:` in order; empty when the job has none
     * @param only        `only:`, or null; {@code except} likewise
     * @param environment the `environment:` name, or null
     * @param variables   names of the variables the configuration gives the job (global then job, as `inherit:`
     *                    allows), never values
     * @param trigger     for a trigger job (child or multi-project pipeline), what it triggers; else null
     * @param scripts     the effective `before_script`, `script` and `after_script` lines, in run order
     * @param hits        the indicator lines among them, and in repository scripts they call
     * @param missing     repository scripts they call that the tree does not hold (what they run cannot be told)
     * @param parallel    `parallel: N` (N jobs named "name i/N"), {@link #PARALLEL_MATRIX} for `parallel: matrix:`
     *                    (jobs named "name: [a, b]"), 0 for one job
     * @param undefinedTemplates `extends:` parents (directly or not) this configuration does not define, typically
     *                    from an include that was not read: the job's scripts may be incomplete
     */
    public record Job(String name, String file, int line, String stage, String when, String allowFailure,
                      List<Rule> rules, RefFilter only, RefFilter except, String environment, List<String> variables,
                      Trigger trigger, List<ScriptLine> scripts, List<Hit> hits, List<MissingScript> missing,
                      int parallel, List<String> undefinedTemplates) {
        /** True when a job name of the jobs API ("test", "test 2/3", "test: [3.9, linux]") is one of this job's. */
        public boolean namesApiJob(String apiName) {
            if (apiName == null) return false;
            if (apiName.equals(name)) return true;
            if (parallel == PARALLEL_MATRIX) return apiName.startsWith(name + ": [") && apiName.endsWith("]");
            if (parallel > 0 && apiName.startsWith(name + " ")) {
                return apiName.substring(name.length() + 1).matches("[1-9][0-9]*/" + parallel);
            }
            return false;
        }

        /** True when some line of the job runs the compromised code. */
        public boolean usesIndicator() {
            return hits.stream().anyMatch(Hit::affected);
        }

        /** `when: manual`: the job waits for someone to play it; a job never played never ran. */
        public boolean manual() {
            return "manual".equals(when);
        }

        /**
         * True when no pipeline can create the job: every `rules:` entry says `when: never` (or the job's own `when:`
         * does). A rule with an `if:` is otherwise never judged here: that needs a pipeline's ref and source.
         */
        public boolean neverRuns() {
            return "never".equals(when) || (!rules.isEmpty() && rules.stream().allMatch(r -> "never".equals(r.when())));
        }

        /** The script item a hit is on (for a followed script, the item that calls it): its full command text. */
        public java.util.Optional<ScriptLine> scriptOf(Hit hit) {
            return scripts.stream().filter(s -> s.section().equals(hit.section()) && s.file().equals(hit.file())
                    && hit.line() >= s.line() && hit.line() < s.line() + s.text().split("\\r?\\n", -1).length).findFirst();
        }
    }

    /**
     * One item of a script section. {@code section} is "before_script", "script" or "after_script";
     * {@code line} is the file line of the item's first text line (in {@code file}, which may be an include).
     */
    public record ScriptLine(String section, String text, String file, int line) {}

    /**
     * An indicator line. {@code file}/{@code line}: the job's script line (the call, for a followed script);
     * {@code script}: the repository script or make target it is in when followed, else null; {@code location}: for a
     * followed script where the indicator line is ("scripts/upload.sh:3"); {@code possible}: indirect or weak.
     * {@code section} matters to the walk: GitLab runs `after_script` even when `script` failed, in its own shell.
     */
    public record Hit(String section, String how, boolean affected, boolean possible, String file, int line,
                      String text, String script, String location) {
        public boolean followed() {
            return script != null;
        }
    }

    /** A repository script a script line calls that is not in the tree ({@code via}: the script that calls it). */
    public record MissingScript(String file, int line, String script, String via) {}

    /**
     * One `rules:` entry (or `workflow: rules:` entry). Conditions are raw GitLab expressions.
     * @param condition    the `if:` expression, or null
     * @param changes      `changes:` paths; {@code exists} likewise
     * @param when         the rule's `when:`, or null (the job's own applies)
     * @param allowFailure the rule's `allow_failure:` as written, or null
     * @param variables    names of the variables the rule sets
     */
    public record Rule(String condition, List<String> changes, List<String> exists, String when,
                       String allowFailure, List<String> variables, int line) {}

    /** `only:` or `except:`: ref patterns (`main`, `tags`, `/^release/`), variable expressions, changes. */
    public record RefFilter(List<String> refs, List<String> variables, List<String> changes, boolean kubernetes) {}

    /**
     * A trigger job: {@code project} for a multi-project pipeline (null for a child pipeline), {@code includes} the
     * child pipeline's configuration files.
     */
    public record Trigger(String project, String branch, List<Include> includes, String strategy) {}

    /**
     * An `include:` entry. {@code kind}: "local", "project", "template", "remote", "component" (or "artifact" for
     * a child pipeline); {@code location}: the path, template name or URL; {@code project}/{@code ref} for project
     * includes; {@code from}/{@code line} where it is written; {@code reason}: why it was not read (empty when read);
     * {@code conditional}: it has `rules:` (read here as if they matched).
     */
    public record Include(String kind, String location, String project, String ref, String from, int line,
                          boolean conditional, String reason) {
        public String describe() {
            return kind + " " + (project == null ? "" : project + ":") + location + (ref == null ? "" : "@" + ref);
        }
    }
}
