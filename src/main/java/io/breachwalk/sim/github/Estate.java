package io.breachwalk.sim.github;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An estate the {@link GitHubSimulator} serves: organizations, repositories with commits, workflow runs and secrets.
 * Immutable once loaded ({@link EstateLoader}); all mutable server state (rate limits, request log) lives in the
 * simulator. The YAML format is documented in samples/github/README.md. {@code webUrl} is the base of html_url
 * links (default https://github.com), kept apart from the API address so reports do not depend on the port.
 */
public record Estate(String webUrl, RateLimit rateLimit, List<Token> tokens, List<Org> orgs, Faults faults, int defaultLogStatus) {

    public Optional<Org> org(String login) {
        return orgs.stream().filter(o -> o.login().equalsIgnoreCase(login)).findFirst();
    }

    public Optional<Repo> repo(String owner, String name) {
        return org(owner).flatMap(o -> o.repos().stream().filter(r -> r.name().equalsIgnoreCase(name)).findFirst());
    }

    public Optional<Repo> repoById(long id) {
        return orgs.stream().flatMap(o -> o.repos().stream()).filter(r -> r.id() == id).findFirst();
    }

    public Optional<Token> token(String value) {
        return tokens.stream().filter(t -> t.value().equals(value)).findFirst();
    }

    /**
     * Primary rate limits per token (per hour on github.com): {@code limit} REST requests and, a separate budget,
     * {@code graphqlLimit} GraphQL points.
     */
    public record RateLimit(int limit, long resetSeconds, int graphqlLimit) {}

    /**
     * A token the simulator accepts. {@code readSecrets}: may list repository, environment and the repository's
     * organization secrets; {@code readOrgSecrets}: may list the organization's secrets (admin:org).
     */
    public record Token(String name, String value, String login, boolean readSecrets, boolean readOrgSecrets) {}

    public record Org(long id, String login, List<Repo> repos, List<OrgSecret> secrets) {}

    /** visibility: all, private or selected (then {@code selectedRepos} holds repository names). */
    public record OrgSecret(String name, Instant createdAt, Instant updatedAt, String visibility,
                            List<String> selectedRepos) {}

    public record Secret(String name, Instant createdAt, Instant updatedAt) {}

    public record Environment(long id, String name, Instant createdAt, Instant updatedAt, List<Secret> secrets) {}

    public record Repo(long id, String owner, String name, boolean isPrivate, String defaultBranch,
                       Instant createdAt, List<Commit> commits, List<Workflow> workflows, List<Run> runs,
                       List<Secret> secrets, List<Environment> environments, History history) {
        public String fullName() {
            return owner + "/" + name;
        }

        public Optional<Commit> commit(String sha) {
            return commits.stream().filter(c -> c.sha().equals(sha)).findFirst();
        }

        /** The newest commit: what a branch name resolves to (the estate keeps one line of history). */
        public Optional<Commit> head() {
            return commits.isEmpty() ? Optional.empty() : Optional.of(commits.get(commits.size() - 1));
        }

        public Optional<Run> run(long id) {
            return runs.stream().filter(r -> r.id() == id).findFirst();
        }

        /** A branch name or a (possibly abbreviated) sha: the commit it names. */
        public Optional<Commit> resolve(String ref) {
            if (ref == null || ref.isEmpty()) {
                return history.branches().containsKey(defaultBranch)
                        ? commit(history.branches().get(defaultBranch)) : head();
            }
            if (history.branches().containsKey(ref)) {
                return commit(history.branches().get(ref));
            }
            if (ref.equals(defaultBranch)) {
                return head();
            }
            Optional<Commit> c = commit(ref);
            if (c.isEmpty() && ref.length() >= 7 && ref.length() < 40) {
                c = commits.stream().filter(x -> x.sha().startsWith(ref)).findFirst();
            }
            return c;
        }

        /** The branches served: the estate's, else the default branch at the newest commit. */
        public Map<String, String> branches() {
            if (!history.branches().isEmpty()) {
                return history.branches();
            }
            return head().map(h -> Map.of(defaultBranch, h.sha())).orElse(Map.of());
        }
    }

    /**
     * What GitHub no longer keeps, and the history the commits API serves. {@code runsExpired}: the runs listing
     * hides every run created before {@code retainedFrom} (all of them when null); {@code jobsArchived}: runs are
     * listed but their jobs lists are empty. {@code branches}: name -> head sha (empty: the default branch at the
     * newest commit). {@code pulls}: pull requests for the pulls API.
     */
    public record History(boolean runsExpired, Instant retainedFrom, boolean jobsArchived, Map<String, String> branches,
                          List<Pull> pulls) {
        public static History none() {
            return new History(false, null, false, Map.of(), List.of());
        }

        public boolean hides(Run run) {
            return runsExpired && (retainedFrom == null || run.createdAt().isBefore(retainedFrom));
        }
    }

    /** A pull request: its head branch and commit (headRepository: a fork's full name, or null), base branch. */
    public record Pull(int number, String headRef, String headSha, String headRepository, String base,
                       Instant createdAt, Instant updatedAt, String state) {}

    /**
     * A commit with the full file snapshot at that commit (files carry over from the parent when loaded).
     * {@code parent}: the parent's sha, null for a root commit.
     */
    public record Commit(String label, String sha, Instant date, String message, Map<String, String> files,
                         String parent) {}

    public record Workflow(long id, String name, String path, Instant createdAt) {}

    /** headRepository: full name of the fork a pull request came from, or null for the repository itself. */
    public record Run(long id, long runNumber, Workflow workflow, String headSha, String headBranch, String event,
                      Instant createdAt, String headRepository, String actor, List<Attempt> attempts) {
        public Attempt latest() {
            return attempts.get(attempts.size() - 1);
        }
    }

    /**
     * {@code checks}: check runs a step of this attempt created through the Checks API with the workflow's token. They
     * land in the run's check suite (the GitHub Actions app's) but are no jobs of it: the REST jobs list omits them,
     * and their detailsUrl is whatever the step set.
     */
    public record Attempt(int number, Instant runStartedAt, List<Job> jobs, List<Job> checks) {
        public Attempt(int number, Instant runStartedAt, List<Job> jobs) {
            this(number, runStartedAt, jobs, List.of());
        }
    }

    /** logStatus: 200 when {@code log} is served, else 410 (expired) or 404 (deleted). */
    public record Job(long id, String name, Instant startedAt, Instant completedAt, String status, String conclusion,
                      List<Step> steps, String log, int logStatus, List<String> labels) {}

    public record Step(String name, String status, String conclusion, int number, Instant startedAt,
                       Instant completedAt) {}

    /**
     * Seeded fault injection. Random faults hit a request with probability {@code rate}, decided by a hash of
     * (seed, method, URL, how many times that URL was asked) so that a run is reproducible whatever the thread
     * interleaving, and a retry of the same URL may succeed. Rules fail the first {@code times} matching requests.
     */
    public record Faults(long seed, double rate, List<String> kinds, String match, long slowMillis,
                         int retryAfterSeconds, List<FaultRule> rules) {
        public static Faults none() {
            return new Faults(0, 0, List.of(), null, 0, 1, List.of());
        }
    }

    /**
     * kind: 500, 502, 503, reset, slow, truncated, secondary-403, secondary-429, rate-limit; or a malformed answer
     * with status 200: html-200, json-truncated, json-list-object, json-id-string, json-count-negative,
     * json-count-huge, json-steps-null, json-bad-times, binary-content.
     */
    public record FaultRule(String match, String kind, int times) {}
}
