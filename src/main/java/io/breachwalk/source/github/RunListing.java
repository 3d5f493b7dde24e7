package io.breachwalk.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The runs of one repository created in a range, listed through REST (GraphQL cannot list runs by date), the range
 * sliced so no listing reaches GitHub's 1,000-result cap. Used by {@link RepoWalk} for one repository and by
 * {@link GitHubPrefetch} for all of them at once; what the walk must say about the listing (a cap it could not split,
 * runs without a numeric id, a failure) is kept for the walk to say as gaps.
 */
final class RunListing {
    /** Split a range when its listing holds this many runs: GitHub returns at most 1,000 per filtered query. */
    static final int SLICE_LIMIT = 1000;
    /** Most slices one listing is cut into; a slice still too full splits again. */
    private static final int MAX_PARTS = 100;
    private static final int SLICE_TARGET = 800;

    /**
     * The run fields the walk (RepoWalk, StepJudge, HistoryFallback) reads; a slim listing keeps only these so that
     * an estate's tens of thousands of runs stay small in memory. {@code head_repository} keeps its full_name.
     */
    private static final List<String> KEPT = List.of("id", "name", "run_attempt", "path", "workflow_id", "head_sha",
            "head_branch", "event", "head_repository", "created_at", "updated_at", "run_started_at", "status",
            "conclusion", "html_url", "check_suite_node_id");

    /**
     * What one listing gave: the runs by id (in listing order), the ids that were not numbers, the RESULT_CAP gap
     * details (in the order met), and the failure that stopped it (an {@link GitHubRest.ApiError} or an
     * {@link IOException}), null when it ran to the end.
     */
    record Listed(Map<Long, JsonNode> runs, List<String> unnumbered, List<String> capped, Exception failure) {}

    private final GitHubRest rest;
    private final String fullName;
    private final boolean slim;
    private final Map<Long, JsonNode> runs = new LinkedHashMap<>();
    private final List<String> unnumbered = new ArrayList<>();
    private final List<String> capped = new ArrayList<>();

    private RunListing(GitHubRest rest, String fullName, boolean slim) {
        this.rest = rest;
        this.fullName = fullName;
        this.slim = slim;
    }

    /** Lists runs created in [from, to] (inclusive, to the second); {@code slim} keeps only the fields read. */
    static Listed list(GitHubRest rest, String fullName, Instant from, Instant to, boolean slim) {
        RunListing l = new RunListing(rest, fullName, slim);
        Exception failure = null;
        try {
            l.listRuns(from, to);
        } catch (GitHubRest.ApiError | IOException e) {
            failure = e;
        }
        return new Listed(l.runs, List.copyOf(l.unnumbered), List.copyOf(l.capped), failure);
    }

    private void listRuns(Instant from, Instant to) throws IOException, GitHubRest.ApiError {
        String path = "/repos/" + fullName + "/actions/runs?per_page=100&created="
                + URLEncoder.encode(from + ".." + to, StandardCharsets.UTF_8);
        GitHubRest.Response first = rest.get(path);
        if (first.status() != 200) {
            throw new GitHubRest.ApiError(first.status(), first.message(), path);
        }
        JsonNode body = first.json();
        JsonNode items = GitHubRest.list(body, "workflow_runs", path);
        long total = body.path("total_count").asLong();
        long seconds = Duration.between(from, to).getSeconds();
        // total_count only says when to split; a listing that ends on its first page (no next link) holds every run
        // whatever total_count claims: a huge one would otherwise split the range into millions of listings.
        boolean more = first.next().isPresent();
        if (total >= SLICE_LIMIT && more && seconds > 0) {
            // Cut into slices expected to hold ~800 runs each; a slice that is still too full splits again. At most
            // MAX_PARTS per level, so an absurd total_count costs at most that many listings before the pages decide.
            long parts = Math.min(MAX_PARTS, Math.min(seconds + 1, Math.max(2, (total + SLICE_TARGET - 1) / SLICE_TARGET)));
            long step = (seconds + 1) / parts;
            Instant start = from;
            for (long i = 0; i < parts; i++) {
                Instant end = i == parts - 1 ? to : start.plusSeconds(step - 1);
                listRuns(start, end);
                start = end.plusSeconds(1);
            }
            return;
        }
        if (total >= SLICE_LIMIT && more) {
            capped.add(total + " runs were created in the second " + from
                    + "; GitHub lists at most 1,000 per query, some runs could not be listed");
        }
        items.forEach(this::keep);
        Optional<String> next = first.next();
        Set<String> seen = new java.util.HashSet<>();
        while (next.isPresent()) {
            if (!seen.add(next.get())) {
                // A Link rel="next" back to a page already read would loop for ever.
                throw new io.breachwalk.source.HttpFailure(io.breachwalk.source.HttpFailure.Kind.FATAL, 200, null,
                        "the pages of the run listing link back to a page already read; listing stopped there");
            }
            GitHubRest.Response page = rest.get(next.get());
            if (page.status() != 200) {
                throw new GitHubRest.ApiError(page.status(), page.message(), path);
            }
            GitHubRest.list(page.json(), "workflow_runs", path).forEach(this::keep);
            next = page.next();
        }
    }

    private void keep(JsonNode run) {
        if (!validId(run.path("id"))) {
            unnumbered.add(GitHubRest.kind(run.path("id")).replaceFirst("^the text ", ""));
            return;
        }
        runs.put(run.path("id").asLong(), slim ? slim(run) : run);
    }

    /** The run with only the fields the walk reads ({@link #KEPT}); a field absent stays absent. */
    static JsonNode slim(JsonNode run) {
        if (!run.isObject()) {
            return run;
        }
        ObjectNode out = GitHubRest.JSON.createObjectNode();
        for (String f : KEPT) {
            JsonNode v = run.get(f);
            if (v == null) {
                continue;
            }
            if (f.equals("head_repository") && v.isObject()) {
                ObjectNode head = out.putObject(f);
                if (v.has("full_name")) {
                    head.set("full_name", v.get("full_name"));
                }
                continue;
            }
            out.set(f, v);
        }
        return out;
    }

    /** GitHub's ids are positive integers; anything else cannot name a run or job in a later request. */
    static boolean validId(JsonNode id) {
        return id.isIntegralNumber() && id.canConvertToLong() && id.asLong() > 0;
    }
}
