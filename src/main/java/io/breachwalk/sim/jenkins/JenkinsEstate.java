package io.breachwalk.sim.jenkins;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A fictional Jenkins instance, as written in an estate YAML file (see samples/jenkins/estate.yaml and
 * src/test/resources/jenkins/ for examples). Every list may be omitted. Unknown keys are rejected so that a typo in a
 * test estate fails loudly instead of silently describing a different instance.
 */
public record JenkinsEstate(
        String version,                 // X-Jenkins header, default 2.263.4 (an early-2021 LTS)
        String contextPath,             // "/" (default) or e.g. "/jenkins/"
        List<User> users,               // empty: anonymous read allowed
        Boolean anonymousRead,          // with users: may anonymous callers read? default false (403)
        List<Credential> credentials,   // the system store, global domain
        List<Item> jobs,                // top-level items
        List<Repo> repos,               // git repositories the simulator creates (Jenkinsfiles at a revision)
        Faults faults) {

    public record User(String name, String token, String password) { }

    /** A stored credential: id and type only, Jenkins never exports values. */
    public record Credential(String id, String type, String description) { }

    /**
     * A job or a container. {@code type}: freestyle, pipeline, matrix, maven, folder, multibranch, org-folder, or
     * other (then {@code clazz} names the Jenkins class, e.g. a job type the walker cannot read).
     */
    public record Item(
            String name,
            String type,
            @JsonProperty("class") String clazz,
            String description,
            List<Item> jobs,                // folder / multibranch / org-folder children
            List<Credential> credentials,   // folder credential store
            String config,                  // raw config.xml, replaces the generated one
            String shell,                   // freestyle: one "Execute shell" builder
            List<Binding> bindings,         // freestyle: SecretBuildWrapper bindings
            List<Param> parameters,         // parameter definitions (password parameters matter)
            String script,                  // pipeline: inline script (CpsFlowDefinition)
            String scriptPath,              // pipeline from SCM / multibranch: Jenkinsfile path (CpsScmFlowDefinition)
            Scm scm,
            List<String> configurations,    // matrix: active configurations, e.g. "jdk=11"
            List<Build> builds,             // explicit builds
            List<Generate> generate,        // compact build generators
            List<String> discard,           // build numbers or ranges "3-40" that were discarded
            Boolean forbidden) {            // every URL of this item answers 403
    }

    /** A credentials-binding entry: type string | usernamePassword | file | sshUserPrivateKey. */
    public record Binding(String type, String credentialsId, String variable, String usernameVariable,
                          String passwordVariable) { }

    /** A parameter definition; type password | string | boolean. */
    public record Param(String name, String type) { }

    /** Git SCM: either a literal url or {@code repo}, the name of a simulator repo (served as a file: URL). */
    public record Scm(String url, String repo, String credentialsId, String branch) { }

    public record Build(
            Integer number,
            Instant timestamp,
            String result,          // default SUCCESS
            Long duration,          // ms, default 60000
            String log,             // console text; ${NUMBER} and ${JOB} are replaced
            Integer logPadLines,    // filler lines streamed before the log (multi-megabyte logs, cheaply)
            Boolean logGone,        // consoleText answers 404
            String revision,        // a commit SHA, or the id of a commit of the job's scm repo
            String branch,          // default the scm branch or "main"
            List<String> remoteUrls,// default the scm url
            List<String> parameters,// names of parameters this build carried
            List<Stage> stages) { }

    /** A pipeline stage in wfapi/describe; its log lines are woven into consoleText with [Pipeline] markers. */
    public record Stage(String name, String status, String log) { }

    /** "count builds spread evenly over [from, to)", numbered in time order after the explicit ones. */
    public record Generate(int count, Instant from, Instant to, String result, String log, Boolean logGone,
                           String revision, List<Stage> stages, Integer logPadLines) { }

    /** {@code refs}: extra refs to commits of the repo, e.g. a pull request's head {@code refs/pull/7/head: c2}. */
    public record Repo(String name, String branch, List<Commit> commits, Map<String, String> refs) { }

    /**
     * A commit; {@code id} is a label builds refer to; files are path -> content (an empty content deletes the file).
     * {@code time}: when it was committed (default one day after the previous commit, from 2020-06-01).
     */
    public record Commit(String id, String message, Map<String, String> files, Instant time) { }

    /**
     * Seeded fault injection. {@code rate} of requests (chosen by a hash of seed, path and occurrence, so the same
     * requests fail however threads interleave) get one of {@code kinds}: 429, 503 (with Retry-After), 500, reset,
     * slow, truncate. {@code rules} force a kind on the first {@code times} requests whose path matches a regex.
     */
    public record Faults(Long seed, Double rate, List<String> kinds, Integer retryAfterSeconds, Integer slowMillis,
                         List<Rule> rules) {
        public record Rule(String path, String kind, Integer times) { }
    }
}
