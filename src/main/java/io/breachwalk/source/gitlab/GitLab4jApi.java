package io.breachwalk.source.gitlab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwalk.source.HttpFailure;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.Pager;
import org.gitlab4j.api.models.GroupProjectsFilter;
import org.gitlab4j.api.models.PipelineFilter;
import org.gitlab4j.models.Constants;
import org.gitlab4j.models.GitLabForm;
import org.gitlab4j.models.utils.JacksonJson;
import org.glassfish.jersey.client.ClientProperties;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The live GitLab API through gitlab4j-api, for the calls it covers: the user, a group and its projects (with
 * subgroups), a project, pipelines (by `updated_after`/`updated_before`/`source`), a pipeline's jobs (retried ones
 * included) and bridges, a job's trace, a file at a ref, commits, protected branches and tags, project and group
 * variables. Every other path (instance variables, which gitlab4j lacks, and any query it cannot express) goes to
 * {@link GitLabHttp}.
 * <p>
 * Each gitlab4j call is one attempt inside {@link GitLabHttp#run}: counted, retried and rate-limited exactly as the
 * raw calls, its {@link GitLabApiException} turned into the same {@link HttpFailure} (status and `RateLimit-*`
 * headers). Lists are paged here one page per attempt, so a page that fails is asked again, not the whole list.
 * What gitlab4j returns is written back into GitLab's JSON (snake_case, as its own mapper reads it), which is what the
 * walk reads and {@link LiveGitLabData} keeps as evidence; variable values are dropped here already.
 * <p>
 * The pipelines' `created_before` is not sent ({@link PipelineFilter} has no creation bounds): the walk checks each
 * pipeline's creation time itself, as it does for an older GitLab that ignores the parameter.
 */
final class GitLab4jApi implements GitLabData {

    private static final int PER_PAGE = 100;
    private static final ObjectMapper MODELS = new JacksonJson().getObjectMapper();

    private final org.gitlab4j.api.GitLabApi client;
    private final GitLabHttp raw;

    /** {@code root}: the instance root; {@code raw}: the plain-HTTP client whose retry, count and fallback are used. */
    GitLab4jApi(String root, String token, GitLabHttp raw) {
        // No redirects: the token must not follow one to another host (the raw client does not follow them either).
        this.client = new org.gitlab4j.api.GitLabApi(root.replaceAll("/+$", ""), token,
                Map.of(ClientProperties.FOLLOW_REDIRECTS, false));
        this.client.setRequestTimeout(15_000, 120_000);
        this.raw = raw;
    }

    // ---- what the walk asks, by path --------------------------------------------------------------------------

    @Override
    public Listing list(String path, int maxPages) throws IOException {
        Route r = Route.of(path);
        String[] s = r.segments();
        Object project = s.length >= 2 && s[0].equals("projects") ? projectRef(s[1]) : null;
        PageOpener opener = null;
        if (s.length == 3 && s[0].equals("groups") && s[2].equals("projects")
                && r.only("include_subgroups", "with_shared", "order_by", "sort")) {
            GroupProjectsFilter f = new GroupProjectsFilter();
            if (r.has("include_subgroups")) f.withIncludeSubGroups(r.bool("include_subgroups"));
            if (r.has("with_shared")) f.withShared(r.bool("with_shared"));
            if ("id".equals(r.get("order_by"))) f.withOrderBy(Constants.ProjectOrderBy.ID);
            if (r.has("sort")) f.withSortOder(sort(r.get("sort")));
            if (r.has("order_by") && !"id".equals(r.get("order_by"))) return raw.list(path, maxPages);
            opener = () -> client.getGroupApi().getProjects(s[1], f, PER_PAGE);
        } else if (s.length == 3 && s[0].equals("groups") && s[2].equals("variables") && r.none()) {
            opener = () -> client.getGroupApi().getVariables(s[1], PER_PAGE);
        } else if (project == null) {
            return raw.list(path, maxPages);
        } else if (s.length == 3 && s[2].equals("variables") && r.none()) {
            opener = () -> client.getProjectApi().getVariables(project, PER_PAGE);
        } else if (s.length == 3 && s[2].equals("pipelines")) {
            PipelineFilter f = pipelineFilter(r);
            if (f == null) return raw.list(path, maxPages);
            opener = () -> client.getPipelineApi().getPipelines(project, f, PER_PAGE);
        } else if (s.length == 5 && s[2].equals("pipelines") && s[3].matches("\\d+") && s[4].equals("jobs")
                && r.only("include_retried")) {
            long id = Long.parseLong(s[3]);
            Boolean retried = r.has("include_retried") ? r.bool("include_retried") : null;
            opener = () -> client.getJobApi().getJobsForPipeline(project, id, PER_PAGE, retried);
        } else if (s.length == 5 && s[2].equals("pipelines") && s[3].matches("\\d+") && s[4].equals("bridges")
                && r.none()) {
            long id = Long.parseLong(s[3]);
            opener = () -> client.getPipelineApi().getBridgesForPipeline(project, id, PER_PAGE, null);
        } else if (s.length == 4 && s[2].equals("repository") && s[3].equals("commits")
                && r.only("ref_name", "path", "since", "until")) {
            Date since = date(r.get("since"));
            Date until = date(r.get("until"));
            if ((r.has("since") && since == null) || (r.has("until") && until == null)) return raw.list(path, maxPages);
            opener = () -> client.getCommitsApi().getCommits(project, r.get("ref_name"), since, until, r.get("path"),
                    PER_PAGE);
        } else if (s.length == 3 && s[2].equals("protected_branches") && r.none()) {
            opener = () -> client.getProtectedBranchesApi().getProtectedBranches(project, PER_PAGE);
        } else if (s.length == 3 && s[2].equals("protected_tags") && r.none()) {
            opener = () -> client.getTagsApi().getProtectedTags(project, PER_PAGE);
        }
        if (opener == null) return raw.list(path, maxPages);
        return pages(path, maxPages, opener, LiveGitLabData.isVariables(path));
    }

    @Override
    public JsonNode json(String path) throws IOException {
        Route r = Route.of(path);
        String[] s = r.segments();
        if (!r.none()) return raw.json(path);
        if (s.length == 1 && s[0].equals("user")) {
            return call(path, () -> tree(client.getUserApi().getCurrentUser(), false));
        }
        if (s.length == 2 && s[0].equals("groups")) {
            return call(path, () -> tree(client.getGroupApi().getGroup(s[1]), false));
        }
        if (s.length == 2 && s[0].equals("projects")) {
            Object project = projectRef(s[1]);
            return call(path, () -> tree(client.getProjectApi().getProject(project), false));
        }
        return raw.json(path);
    }

    @Override
    public String text(String path) throws IOException {
        Route r = Route.of(path);
        String[] s = r.segments();
        if (s.length >= 2 && s[0].equals("projects")) {
            Object project = projectRef(s[1]);
            if (s.length == 5 && s[2].equals("jobs") && s[3].matches("\\d+") && s[4].equals("trace") && r.none()) {
                long job = Long.parseLong(s[3]);
                return orNullOn404(path, () -> bounded(client.getJobApi().getTrace(project, job), path));
            }
            if (s.length == 6 && s[2].equals("repository") && s[3].equals("files") && s[5].equals("raw")
                    && r.has("ref") && r.only("ref")) {
                String file = s[4];
                String ref = r.get("ref");
                return orNullOn404(path, () -> {
                    try (InputStream in = client.getRepositoryFileApi().getRawFile(project, ref, file)) {
                        return GitLabHttp.readBounded(in, path);
                    }
                });
            }
        }
        return raw.text(path);
    }

    // ---- pipelines filter -------------------------------------------------------------------------------------

    /** The listing's query as a {@link PipelineFilter}; null when it asks for something the filter cannot say. */
    private static PipelineFilter pipelineFilter(Route r) {
        if (!r.only("updated_after", "updated_before", "created_before", "order_by", "sort", "source")) return null;
        Date after = date(r.get("updated_after"));
        Date before = date(r.get("updated_before"));
        if ((r.has("updated_after") && after == null) || (r.has("updated_before") && before == null)) return null;
        String source = r.get("source");
        Constants.PipelineSource known = source == null ? null : Constants.PipelineSource.forValue(source);
        // gitlab4j's PipelineSource has no `parent_pipeline` (the source of child pipelines): sent as written.
        PipelineFilter f = source == null || known != null ? new PipelineFilter() : new PipelineFilter() {
            @Override
            public GitLabForm getQueryParams() {
                return super.getQueryParams().withParam("source", source);
            }
        };
        if (known != null) f.withSource(known);
        if (after != null) f.withUpdatedAfter(after);
        if (before != null) f.withUpdatedBefore(before);
        if (r.has("order_by")) {
            Constants.PipelineOrderBy by = Constants.PipelineOrderBy.forValue(r.get("order_by"));
            if (by == null) return null;
            f.withOrderBy(by);
        }
        if (r.has("sort")) f.withSort(sort(r.get("sort")));
        return f;
    }

    private static Constants.SortOrder sort(String s) {
        return "asc".equalsIgnoreCase(s) ? Constants.SortOrder.ASC : Constants.SortOrder.DESC;
    }

    private static Date date(String s) {
        if (s == null) return null;
        try {
            return Date.from(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Date.from(Instant.parse(s));
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** A numeric project id as a number, a full path as the path (gitlab4j encodes it). */
    private static Object projectRef(String segment) {
        return segment.matches("\\d+") ? (Object) Long.valueOf(segment) : segment;
    }

    // ---- calls, pages, failures -------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws GitLabApiException, IOException;
    }

    @FunctionalInterface
    private interface PageOpener {
        Pager<?> open() throws GitLabApiException;
    }

    /** Every page up to {@code maxPages} (0: no cap), each page one attempt; as {@link GitLabHttp#list}. */
    private Listing pages(String path, int maxPages, PageOpener opener, boolean variables) throws IOException {
        Pager<?> pager = call(path, opener::open);
        List<JsonNode> items = new ArrayList<>();
        List<?> first = pager.page(1); // the answer the pager was opened with: no request
        for (Object t : first) items.add(tree(t, variables));
        int pages = 1;
        while (!first.isEmpty() && pager.hasNext()) {
            if (maxPages > 0 && pages >= maxPages) return new Listing(items, true);
            int n = pages + 1;
            List<?> page = call(path + " (page " + n + ")", () -> pager.page(n));
            for (Object t : page) items.add(tree(t, variables));
            pages++;
            if (page.isEmpty()) break;
        }
        return new Listing(items, false);
    }

    /** The raw client's size bound, checked after gitlab4j read the trace: the same failure for the same answer. */
    private static String bounded(String text, String what) throws HttpFailure {
        if (text != null && text.getBytes(StandardCharsets.UTF_8).length > GitLabHttp.MAX_BYTES) {
            throw new HttpFailure(HttpFailure.Kind.FATAL, 200, null, "the answer for " + what + " is larger than "
                    + (GitLabHttp.MAX_BYTES >> 20) + " MiB");
        }
        return text;
    }

    private String orNullOn404(String what, Attempt<String> attempt) throws IOException {
        try {
            return call(what, attempt);
        } catch (HttpFailure f) {
            if (f.status() == 404) return null;
            throw f;
        }
    }

    /** One gitlab4j call as one counted attempt of the shared retry. */
    private <T> T call(String what, Attempt<T> attempt) throws IOException {
        return raw.run(what, () -> {
            raw.counted();
            try {
                T out = attempt.run();
                raw.answered();
                return out;
            } catch (GitLabApiException e) {
                throw failure(e, what);
            } catch (RuntimeException e) {
                // Pager.page wraps its GitLabApiException (or a read error) in a RuntimeException.
                if (e.getCause() instanceof GitLabApiException g) throw failure(g, what);
                if (e.getCause() instanceof IOException io) throw transport(io, what);
                throw e;
            }
        });
    }

    private HttpFailure failure(GitLabApiException e, String what) {
        if (e.getHttpStatus() > 0) {
            raw.answered();
            Map<String, String> headers = new LinkedHashMap<>();
            if (e.getHeaders() != null) {
                e.getHeaders().forEach((k, v) -> {
                    if (k != null && v != null && !v.isEmpty()) headers.put(k.toLowerCase(Locale.ROOT), v.get(0));
                });
            }
            return raw.failure(e.getHttpStatus(), what, h -> headers.get(h.toLowerCase(Locale.ROOT)));
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException io) return transport(io, what);
        }
        return new HttpFailure(HttpFailure.Kind.FATAL, 0, null, "the answer for " + what + " could not be read"
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }

    private HttpFailure transport(IOException io, String what) {
        if (io instanceof JsonProcessingException) {
            raw.answered();
            return new HttpFailure(HttpFailure.Kind.FATAL, 200, null, "the answer for " + what + " is not JSON");
        }
        return io instanceof HttpFailure f ? f : HttpFailure.transport(what, io);
    }

    /** A gitlab4j model as GitLab's JSON; a variable without its value. */
    private static JsonNode tree(Object model, boolean variable) {
        JsonNode n = MODELS.valueToTree(model);
        if (variable && n instanceof ObjectNode o) o.remove("value");
        return n;
    }

    /** A path below /api/v4, split into its decoded segments and its decoded query. */
    private record Route(String[] segments, Map<String, String> query) {
        static Route of(String path) {
            int q = path.indexOf('?');
            String p = q < 0 ? path : path.substring(0, q);
            Map<String, String> query = new LinkedHashMap<>();
            if (q >= 0) {
                for (String kv : path.substring(q + 1).split("&")) {
                    if (kv.isEmpty()) continue;
                    int eq = kv.indexOf('=');
                    String k = dec(eq < 0 ? kv : kv.substring(0, eq));
                    String v = eq < 0 ? "" : dec(kv.substring(eq + 1));
                    if (query.containsKey(k)) query.put("\0duplicate", "");
                    query.put(k, v);
                }
            }
            String[] parts = p.replaceFirst("^/", "").split("/", -1);
            for (int i = 0; i < parts.length; i++) parts[i] = dec(parts[i]);
            return new Route(parts, query);
        }

        private static String dec(String s) {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        }

        boolean none() {
            return query.isEmpty();
        }

        boolean only(String... keys) {
            return Set.of(keys).containsAll(query.keySet());
        }

        boolean has(String key) {
            return query.containsKey(key);
        }

        String get(String key) {
            return query.get(key);
        }

        boolean bool(String key) {
            return Boolean.parseBoolean(query.get(key));
        }
    }
}
