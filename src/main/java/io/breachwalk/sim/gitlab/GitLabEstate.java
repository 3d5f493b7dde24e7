package io.breachwalk.sim.gitlab;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A GitLab instance as the {@link GitLabSimulator} serves it: groups (with subgroups), their projects with commits,
 * pipelines and jobs, CI/CD variables at every level, and the tokens that may read them. Built by
 * {@link GitLabEstateLoader} from the YAML format of samples/gitlab/README.md.
 */
public record GitLabEstate(String webUrl, RateLimit rateLimit, boolean erasedTraceEmpty, List<Token> tokens,
                           Faults faults, List<Variable> instanceVariables, List<Group> groups) {

    public GitLabEstate {
        tokens = List.copyOf(tokens);
        instanceVariables = List.copyOf(instanceVariables);
        groups = List.copyOf(groups);
    }

    public record RateLimit(int limit, long resetSeconds) {}

    /** A personal access token; developers may not list variables, only admins list instance variables. */
    public record Token(String name, String value, String username, String role, boolean admin) {
        public boolean readsVariables() {
            return role.equals("maintainer") || role.equals("owner");
        }
    }

    /** Requests matching {@code match} (regex on path?query) fail with {@code kind} the first {@code times} times. */
    public record FaultRule(String match, String kind, int times) {}

    public record Faults(int retryAfterSeconds, List<FaultRule> rules) {
        public Faults {
            rules = List.copyOf(rules);
        }

        public static Faults none() {
            return new Faults(1, List.of());
        }
    }

    /** A CI/CD variable; {@code value} is a fake the walk must never print or store. */
    public record Variable(String key, String variableType, boolean isProtected, boolean masked,
                           String environmentScope, String value) {}

    /** A group; {@code fullPath} includes its ancestors' paths, {@code parentId} is null at the top. */
    public record Group(long id, String name, String path, String fullPath, Long parentId, List<Variable> variables,
                        List<Group> subgroups, List<Project> projects) {
        public Group {
            variables = List.copyOf(variables);
            subgroups = List.copyOf(subgroups);
            projects = List.copyOf(projects);
        }

        /** Its subgroups at every depth, parents before children. */
        public List<Group> descendants() {
            List<Group> out = new ArrayList<>();
            for (Group g : subgroups) {
                out.add(g);
                out.addAll(g.descendants());
            }
            return out;
        }

        /** Its own projects and those of every descendant group. */
        public List<Project> allProjects() {
            List<Project> out = new ArrayList<>(projects);
            descendants().forEach(g -> out.addAll(g.projects()));
            return out;
        }
    }

    public record Commit(String label, String sha, Instant date, String message, Map<String, String> files,
                         String parentSha) {}

    public record Project(long id, String path, String pathWithNamespace, long namespaceId, String defaultBranch,
                          String ciConfigPath, List<String> protectedBranches, List<String> protectedTags,
                          Map<String, String> branches, List<Variable> variables, List<Commit> commits,
                          List<Pipeline> pipelines) {

        public Optional<Commit> commit(String shaOrLabelOrBranch) {
            String sha = branches.getOrDefault(shaOrLabelOrBranch, shaOrLabelOrBranch);
            return commits.stream().filter(c -> c.sha().equals(sha) || c.label().equals(sha)).findFirst();
        }

        public Optional<Pipeline> pipeline(long id) {
            return pipelines.stream().filter(p -> p.id() == id).findFirst();
        }

        public Stream<Job> jobs() {
            return pipelines.stream().flatMap(p -> p.jobs().stream());
        }
    }

    /** {@code parentId} is set for child pipelines (source parent_pipeline), triggered by the parent's bridge. */
    public record Pipeline(long id, int iid, String ref, boolean tag, String sha, String source, String status,
                           Instant createdAt, Instant updatedAt, Long parentId, String triggerJob, List<Job> jobs) {
        public Pipeline {
            jobs = List.copyOf(jobs);
        }
    }

    /** {@code trace} is the job log (empty when not given); {@code erased} drops it as GitLab's erase does. */
    public record Job(long id, long pipelineId, String name, String stage, String status, Instant createdAt,
                      Instant startedAt, Instant finishedAt, boolean retried, String environment, String trace,
                      boolean erased) {}

    public Optional<Token> token(String value) {
        return tokens.stream().filter(t -> t.value().equals(value)).findFirst();
    }

    /** Every group at every depth, parents first. */
    public List<Group> allGroups() {
        List<Group> out = new ArrayList<>();
        for (Group g : groups) {
            out.add(g);
            out.addAll(g.descendants());
        }
        return out;
    }

    public List<Project> allProjects() {
        return allGroups().stream().flatMap(g -> g.projects().stream()).toList();
    }

    /** By numeric id or full path. */
    public Optional<Group> group(String idOrPath) {
        return allGroups().stream().filter(g -> Long.toString(g.id()).equals(idOrPath)
                || g.fullPath().equalsIgnoreCase(idOrPath)).findFirst();
    }

    public Optional<Group> groupById(long id) {
        return allGroups().stream().filter(g -> g.id() == id).findFirst();
    }

    /** By numeric id or path_with_namespace. */
    public Optional<Project> project(String idOrPath) {
        return allProjects().stream().filter(p -> Long.toString(p.id()).equals(idOrPath)
                || p.pathWithNamespace().equalsIgnoreCase(idOrPath)).findFirst();
    }
}
