package io.breachwalk.sim.github.graphql;

import graphql.schema.DataFetchingEnvironment;
import io.breachwalk.sim.github.Estate.Attempt;
import io.breachwalk.sim.github.Estate.Commit;
import io.breachwalk.sim.github.Estate.Job;
import io.breachwalk.sim.github.Estate.Repo;
import io.breachwalk.sim.github.Estate.Run;
import io.breachwalk.sim.github.Estate.Step;
import io.breachwalk.sim.github.Estate.Workflow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The GraphQL objects over the estate, one record per GitHub type. Each answers its fields by name
 * ({@link Resolvable}), so the schema needs no wiring per field; values follow what the REST payloads say about the
 * same item (times to the second, a job's conclusion only once completed, enums upper-case).
 */
final class GitHubObjects {
    /** GitHub Actions' app id on github.com: check runs of workflow jobs belong to it. */
    static final long ACTIONS_APP_ID = 15368;
    /** Blob.text stops here; isTruncated says so (measured on github.com, see the GraphQL reference). */
    static final int BLOB_TEXT_LIMIT = 512_000;

    private GitHubObjects() {
    }

    /** An object that answers its GraphQL fields by (schema) field name. */
    interface Resolvable {
        Object get(String field, DataFetchingEnvironment env);
    }

    static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The git blob id of a content, as REST's contents API reports it. */
    static String blobSha(byte[] content) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-1");
            d.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String webPath(EstateIndex ix, String resourcePath) {
        return ix.web() + resourcePath;
    }

    record RepositoryObject(EstateIndex ix, Repo repo) implements Resolvable {
        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            return switch (field) {
                case "id" -> NodeIds.of(NodeIds.REPOSITORY, repo.id());
                case "databaseId" -> repo.id();
                case "name" -> repo.name();
                case "nameWithOwner" -> repo.fullName();
                case "isPrivate" -> repo.isPrivate();
                case "url" -> webPath(ix, "/" + repo.fullName());
                case "defaultBranchRef" -> ref(repo.defaultBranch());
                case "ref" -> ref(env.getArgument("qualifiedName"));
                case "object" -> object(env.getArgument("expression"), env.getArgument("oid"));
                default -> null;
            };
        }

        private RefObject ref(String qualifiedName) {
            String name = qualifiedName.startsWith("refs/heads/") ? qualifiedName.substring(11) : qualifiedName;
            String sha = repo.branches().get(name);
            return sha == null ? null : new RefObject(ix, repo, name, sha);
        }

        /** "rev" names a commit; "rev:path" a blob or tree at it; absent anything: null, as GitHub answers. */
        Object object(String expression, String oid) {
            if (oid != null) {
                return repo.commit(oid).map(c -> (Object) new CommitObject(ix, repo, c)).orElse(null);
            }
            if (expression == null) {
                return null;
            }
            int colon = expression.indexOf(':');
            String rev = colon < 0 ? expression : expression.substring(0, colon);
            Commit commit = (rev.equals("HEAD") || rev.isEmpty() ? repo.resolve(null) : repo.resolve(rev)).orElse(null);
            if (commit == null) {
                return null;
            }
            if (colon < 0) {
                return new CommitObject(ix, repo, commit);
            }
            return at(ix, repo, commit, expression.substring(colon + 1));
        }
    }

    /** The blob or tree at a path of a commit, or null. */
    static Object at(EstateIndex ix, Repo repo, Commit commit, String rawPath) {
        String path = rawPath;
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String content = commit.files().get(path);
        if (content != null) {
            return new BlobObject(ix, repo, content);
        }
        String prefix = path.isEmpty() ? "" : path + "/";
        boolean dir = commit.files().keySet().stream().anyMatch(f -> f.startsWith(prefix));
        return dir ? new TreeObject(ix, repo, commit, path) : null;
    }

    record RefObject(EstateIndex ix, Repo repo, String name, String sha) implements Resolvable {
        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            return switch (field) {
                case "id" -> NodeIds.of("REF_", repo.id() + ":refs/heads/" + name);
                case "name" -> name;
                case "prefix" -> "refs/heads/";
                case "repository" -> new RepositoryObject(ix, repo);
                case "target" -> repo.commit(sha).map(c -> (Object) new CommitObject(ix, repo, c)).orElse(null);
                default -> null;
            };
        }
    }

    record BlobObject(EstateIndex ix, Repo repo, String content) implements Resolvable {
        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            boolean binary = content.indexOf('\0') >= 0;
            return switch (field) {
                case "id" -> NodeIds.of("B_", repo.id() + ":" + blobSha(bytes));
                case "oid" -> blobSha(bytes);
                case "abbreviatedOid" -> blobSha(bytes).substring(0, 7);
                case "repository" -> new RepositoryObject(ix, repo);
                case "byteSize" -> bytes.length;
                case "isBinary" -> binary;
                case "isTruncated" -> bytes.length > BLOB_TEXT_LIMIT;
                case "text" -> binary ? null : bytes.length > BLOB_TEXT_LIMIT
                        ? new String(bytes, 0, BLOB_TEXT_LIMIT, StandardCharsets.UTF_8) : content;
                default -> null;
            };
        }
    }

    record TreeObject(EstateIndex ix, Repo repo, Commit commit, String path) implements Resolvable {
        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            String oid = sha1("tree " + commit.sha() + ":" + path);
            return switch (field) {
                case "id" -> NodeIds.of("T_", repo.id() + ":" + oid);
                case "oid" -> oid;
                case "abbreviatedOid" -> oid.substring(0, 7);
                case "repository" -> new RepositoryObject(ix, repo);
                case "entries" -> entries();
                default -> null;
            };
        }

        /** Direct children, by name as git orders a tree. */
        private List<TreeEntryObject> entries() {
            String prefix = path.isEmpty() ? "" : path + "/";
            TreeSet<String> names = new TreeSet<>();
            for (String f : commit.files().keySet()) {
                if (f.startsWith(prefix)) {
                    String rest = f.substring(prefix.length());
                    int slash = rest.indexOf('/');
                    names.add(slash < 0 ? rest : rest.substring(0, slash));
                }
            }
            List<TreeEntryObject> out = new ArrayList<>();
            names.forEach(n -> out.add(new TreeEntryObject(ix, repo, commit, prefix + n)));
            return out;
        }
    }

    record TreeEntryObject(EstateIndex ix, Repo repo, Commit commit, String path) implements Resolvable {
        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            Object object = at(ix, repo, commit, path);
            boolean blob = object instanceof BlobObject;
            String name = path.substring(path.lastIndexOf('/') + 1);
            return switch (field) {
                case "name" -> name;
                case "path" -> path;
                case "type" -> blob ? "blob" : "tree";
                case "mode" -> blob ? 33188 : 16384;
                case "object" -> object;
                case "oid" -> object == null ? null : ((Resolvable) object).get("oid", env);
                case "size" -> blob ? ((BlobObject) object).content().getBytes(StandardCharsets.UTF_8).length : 0;
                case "extension" -> name.contains(".") ? name.substring(name.lastIndexOf('.')) : null;
                case "isGenerated" -> false;
                case "lineCount" -> blob ? (int) ((BlobObject) object).content().lines().count() : null;
                case "repository" -> new RepositoryObject(ix, repo);
                default -> null;
            };
        }
    }

    record CommitObject(EstateIndex ix, Repo repo, Commit commit) implements Resolvable {
        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            return switch (field) {
                case "id" -> NodeIds.of("C_", repo.id() + ":" + commit.sha());
                case "oid" -> commit.sha();
                case "abbreviatedOid" -> commit.sha().substring(0, Math.min(7, commit.sha().length()));
                case "repository" -> new RepositoryObject(ix, repo);
                case "message" -> commit.message() == null ? "" : commit.message();
                case "messageHeadline" -> commit.message() == null ? "" : commit.message().lines().findFirst().orElse("");
                case "authoredDate", "committedDate" -> commit.date();
                case "url" -> webPath(ix, "/" + repo.fullName() + "/commit/" + commit.sha());
                case "tree" -> new TreeObject(ix, repo, commit, "");
                case "file" -> {
                    String p = env.getArgument("path");
                    yield at(ix, repo, commit, p) == null ? null : new TreeEntryObject(ix, repo, commit, trim(p));
                }
                case "parents" -> Connections.page(commit.parent() == null ? List.of()
                        : repo.commit(commit.parent()).map(c -> List.of(new CommitObject(ix, repo, c))).orElse(List.of()), env);
                case "history" -> Connections.page(history(env.getArgument("path"), env.getArgument("since"),
                        env.getArgument("until")), env);
                case "checkSuites" -> Connections.page(checkSuites(env.getArgument("filterBy")), env);
                default -> null;
            };
        }

        private static String trim(String p) {
            String s = p;
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            return s.startsWith("/") ? s.substring(1) : s;
        }

        /** As the REST commits API: newest first from this commit, touching path, committed in [since, until]. */
        private List<CommitObject> history(String path, Instant since, Instant until) {
            List<CommitObject> out = new ArrayList<>();
            int guard = 0;
            for (Commit c = commit; c != null && guard++ < 100_000;
                 c = c.parent() == null ? null : repo.commit(c.parent()).orElse(null)) {
                if ((since != null && c.date().isBefore(since)) || (until != null && c.date().isAfter(until))) {
                    continue;
                }
                Commit parent = c.parent() == null ? null : repo.commit(c.parent()).orElse(null);
                if (path != null && !path.isEmpty() && !touches(c, parent, path)) {
                    continue;
                }
                out.add(new CommitObject(ix, repo, c));
            }
            return out;
        }

        private static boolean touches(Commit c, Commit parent, String path) {
            String prefix = path.endsWith("/") ? path : path + "/";
            Map<String, String> before = parent == null ? Map.of() : parent.files();
            Set<String> names = new HashSet<>(c.files().keySet());
            names.addAll(before.keySet());
            for (String f : names) {
                if ((f.equals(path) || f.startsWith(prefix)) && !Objects.equals(c.files().get(f), before.get(f))) {
                    return true;
                }
            }
            return false;
        }

        private List<CheckSuiteObject> checkSuites(Map<String, Object> filter) {
            Object appId = filter == null ? null : filter.get("appId");
            Object name = filter == null ? null : filter.get("checkName");
            List<CheckSuiteObject> out = new ArrayList<>();
            if (appId != null && ((Number) appId).longValue() != ACTIONS_APP_ID) {
                return out;
            }
            repo.runs().stream()
                    .filter(r -> r.headSha().equals(commit.sha()) && !repo.history().hides(r))
                    .filter(r -> name == null || r.attempts().stream().flatMap(a -> a.jobs().stream())
                            .anyMatch(j -> j.name().equals(name)))
                    .sorted(java.util.Comparator.comparing(Run::createdAt).thenComparingLong(Run::id))
                    .forEach(r -> out.add(new CheckSuiteObject(ix, repo, r)));
            return out;
        }
    }

    /** One check suite per workflow run: every attempt's jobs are check runs in it. */
    record CheckSuiteObject(EstateIndex ix, Repo repo, Run run) implements Resolvable {
        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            Attempt latest = run.latest();
            return switch (field) {
                case "id" -> NodeIds.of(NodeIds.CHECK_SUITE, NodeIds.checkSuiteId(run.id()));
                case "databaseId" -> NodeIds.checkSuiteId(run.id());
                case "status" -> upper(status(latest));
                case "conclusion" -> upper(conclusion(latest));
                case "createdAt" -> run.createdAt();
                case "updatedAt" -> updatedAt(run);
                case "commit" -> new CommitObject(ix, repo, repo.commit(run.headSha())
                        .orElse(new Commit(null, run.headSha(), run.createdAt(), "", Map.of(), null)));
                case "repository" -> new RepositoryObject(ix, repo);
                case "branch" -> run.headBranch() == null || run.headRepository() != null ? null
                        : new RefObject(ix, repo, run.headBranch(), run.headSha());
                case "url" -> webPath(ix, resourcePath());
                case "resourcePath" -> resourcePath();
                case "workflowRun" -> new WorkflowRunObject(ix, repo, run);
                case "checkRuns" -> Connections.page(checkRuns(env.getArgument("filterBy")), env);
                default -> null;
            };
        }

        private String resourcePath() {
            return "/" + repo.fullName() + "/commit/" + run.headSha() + "/checks?check_suite_id="
                    + NodeIds.checkSuiteId(run.id());
        }

        /**
         * ALL: the jobs of every attempt; LATEST (the default): only the newest check run of each name. Archived
         * jobs are absent, as the REST jobs list has them.
         */
        @SuppressWarnings("unchecked")
        List<CheckRunObject> checkRuns(Map<String, Object> filter) {
            Map<String, Object> f = filter == null ? Map.of() : filter;
            List<CheckRunObject> all = new ArrayList<>();
            if (repo.history().jobsArchived()) {
                return all;
            }
            for (Attempt a : run.attempts()) {
                a.jobs().forEach(j -> all.add(new CheckRunObject(ix, repo, run, a, j)));
                a.checks().forEach(j -> all.add(new CheckRunObject(ix, repo, run, a, j)));
            }
            List<CheckRunObject> chosen = all;
            if (!"ALL".equals(f.get("checkType"))) {
                Map<String, Integer> newestAttempt = new LinkedHashMap<>();
                all.forEach(c -> newestAttempt.merge(c.job().name(), c.attempt().number(), Math::max));
                chosen = all.stream().filter(c -> c.attempt().number() == newestAttempt.get(c.job().name())).toList();
            }
            Object appId = f.get("appId");
            if (appId != null && ((Number) appId).longValue() != ACTIONS_APP_ID) {
                return List.of();
            }
            List<String> statuses = new ArrayList<>();
            if (f.get("status") != null) {
                statuses.add((String) f.get("status"));
            }
            if (f.get("statuses") != null) {
                statuses.addAll((List<String>) f.get("statuses"));
            }
            List<String> conclusions = (List<String>) f.get("conclusions");
            Object name = f.get("checkName");
            return chosen.stream()
                    .filter(c -> name == null || c.job().name().equals(name))
                    .filter(c -> statuses.isEmpty() || statuses.contains(upper(c.job().status())))
                    .filter(c -> conclusions == null || conclusions.contains(c.conclusion()))
                    .toList();
        }
    }

    static String status(Attempt a) {
        return a.jobs().stream().allMatch(j -> "completed".equals(j.status())) ? "completed" : "in_progress";
    }

    static String conclusion(Attempt a) {
        if (!"completed".equals(status(a))) {
            return null;
        }
        for (String worst : new String[] {"failure", "cancelled", "timed_out"}) {
            if (a.jobs().stream().anyMatch(j -> worst.equals(j.conclusion()))) {
                return worst;
            }
        }
        return "success";
    }

    static Instant updatedAt(Run run) {
        Attempt a = run.latest();
        return a.jobs().stream().map(Job::completedAt).filter(Objects::nonNull).max(Instant::compareTo)
                .orElse(a.runStartedAt());
    }

    /** A job of one attempt, as the check run GitHub Actions created for it. */
    record CheckRunObject(EstateIndex ix, Repo repo, Run run, Attempt attempt, Job job) implements Resolvable {
        boolean completed() {
            return "completed".equals(job.status());
        }

        String conclusion() {
            return completed() ? upper(job.conclusion()) : null;
        }

        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            return switch (field) {
                case "id" -> NodeIds.of(NodeIds.CHECK_RUN, job.id());
                case "databaseId" -> job.id();
                case "name" -> job.name();
                case "status" -> upper(job.status());
                case "conclusion" -> conclusion();
                case "startedAt" -> job.startedAt();
                case "completedAt" -> completed() ? job.completedAt() : null;
                case "detailsUrl" -> attempt.checks().contains(job) ? "https://reports.example/checks/" + job.id()
                        : webPath(ix, "/" + repo.fullName() + "/actions/runs/" + run.id() + "/job/" + job.id());
                case "permalink", "url" -> webPath(ix, "/" + repo.fullName() + "/runs/" + job.id());
                case "resourcePath" -> "/" + repo.fullName() + "/runs/" + job.id();
                case "externalId" -> null;
                case "checkSuite" -> new CheckSuiteObject(ix, repo, run);
                case "repository" -> new RepositoryObject(ix, repo);
                case "steps" -> {
                    Integer number = env.getArgument("number");
                    List<StepObject> steps = job.steps().stream()
                            .filter(s -> number == null || s.number() == number).map(StepObject::new).toList();
                    yield Connections.page(steps, env);
                }
                default -> null;
            };
        }
    }

    record StepObject(Step step) implements Resolvable {
        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            return switch (field) {
                case "name" -> step.name();
                case "number" -> step.number();
                case "status" -> upper(step.status());
                case "conclusion" -> upper(step.conclusion());
                case "startedAt" -> step.startedAt();
                case "completedAt" -> step.completedAt();
                case "externalId" -> null;
                case "secondsToCompletion" -> step.startedAt() == null || step.completedAt() == null ? null
                        : (int) Duration.between(step.startedAt(), step.completedAt()).getSeconds();
                default -> null;
            };
        }
    }

    record WorkflowRunObject(EstateIndex ix, Repo repo, Run run) implements Resolvable {
        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            String path = "/" + repo.fullName() + "/actions/runs/" + run.id();
            return switch (field) {
                case "id" -> NodeIds.of(NodeIds.WORKFLOW_RUN, run.id());
                case "databaseId" -> run.id();
                case "runNumber" -> run.runNumber();
                case "event" -> run.event();
                case "createdAt" -> run.createdAt();
                case "updatedAt" -> updatedAt(run);
                case "checkSuite" -> new CheckSuiteObject(ix, repo, run);
                case "url" -> webPath(ix, path);
                case "resourcePath" -> path;
                case "workflow" -> new WorkflowObject(ix, repo, run.workflow());
                default -> null;
            };
        }
    }

    record WorkflowObject(EstateIndex ix, Repo repo, Workflow workflow) implements Resolvable {
        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            String path = "/" + repo.fullName() + "/actions/workflows/" + workflow.path()
                    .substring(workflow.path().lastIndexOf('/') + 1);
            return switch (field) {
                case "id" -> NodeIds.of(NodeIds.WORKFLOW, workflow.id());
                case "databaseId" -> workflow.id();
                case "name" -> workflow.name();
                case "state" -> "ACTIVE";
                case "createdAt", "updatedAt" -> workflow.createdAt();
                case "url" -> webPath(ix, path);
                case "resourcePath" -> path;
                default -> null;
            };
        }
    }
}
