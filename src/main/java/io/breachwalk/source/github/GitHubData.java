package io.breachwalk.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.evidence.ProviderData;
import io.breachwalk.model.EvidenceLink;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a repository walk reads what it judges: the GitHub API, storing each answer as evidence ({@link LiveGitHubData}),
 * or an evidence folder ({@link StoredGitHubData}, `scan --offline`). Either way {@link #link} tells the walk what a
 * verdict rested on, by the same kinds and names, so offline re-analysis runs the very code of the online walk.
 */
interface GitHubData extends ProviderData {
    String RUN = "github-run";
    String FILE = "github-file";
    String WORKFLOW = "github-workflow";
    String JOBS = "github-jobs";
    String JOB = "github-job";
    String LOG = "github-log";
    String SECRETS = "github-secrets";

    /**
     * Stores the records of the runs examined, from the listing, as one file for the repository (a JSON array in
     * id order: a file per run made tens of thousands of files an estate, each costly to create); each run's link,
     * by run id, names that file and is read back by the id.
     */
    Map<String, EvidenceLink> runs(List<JsonNode> runs);

    /** A file at a ref ({@code repo} is a full name); empty when absent. Name: `owner/repo:ref:path`. */
    Optional<String> file(String repo, String path, String ref) throws IOException;

    /** The workflow record of an id (older servers list runs without `path`). Name: `workflow-id:ID`. */
    Optional<JsonNode> workflow(long id) throws IOException;

    /** Every job of every attempt of a run. */
    List<JsonNode> jobs(String runId) throws IOException, GitHubRest.ApiError;

    /** A job's log; empty when expired or deleted. */
    Optional<String> log(String jobId) throws IOException, GitHubRest.ApiError;

    /** One secret store's listing (the `secrets` items). */
    List<JsonNode> secrets(String store, String path) throws IOException, GitHubRest.ApiError;

    String HISTORY = "github-history";

    /**
     * One answer of a commit-history listing (the fallback where runs expired): online asked and stored under its
     * path, offline re-read by the same path. {@code next}: the path and query of the next page, or null.
     */
    record Listing(int status, String message, String next, JsonNode body) {}

    Listing listing(String path) throws IOException;

    /**
     * A file whose bytes are not UTF-8 text (binary, or another encoding): not a workflow. {@code lenient} is the
     * text decoded with replacement characters, good enough for a script that is only scanned for commands.
     */
    final class NotText extends IOException {
        final String lenient;

        NotText(String message, String lenient) {
            super(message);
            this.lenient = lenient;
        }
    }

    static String fileName(String repo, String path, String ref) {
        return repo + ":" + ref + ":" + path;
    }
}
