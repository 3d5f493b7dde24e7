package io.breachwalk.source.gitlab;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.List;

/**
 * What the GitLab walk reads, by API path below `/api/v4`: the live API ({@link GitLab4jApi}, with {@link GitLabHttp}
 * for what gitlab4j-api lacks; recorded as evidence by {@link LiveGitLabData}) or, for `scan --offline`, the answers an
 * earlier scan stored ({@link StoredGitLabData}). The walk is the same over both, so the offline rows are the online ones.
 */
interface GitLabData {

    /** A JSON list as read page by page, and whether it stopped at the caller's page cap. */
    record Listing(List<JsonNode> items, boolean capped) { }

    /** Every item of a paged list, at most {@code maxPages} pages (0: no cap). */
    Listing list(String path, int maxPages) throws IOException;

    /** A JSON object; {@link io.breachwalk.source.HttpFailure} for a non-2xx answer (404 is NOT_FOUND). */
    JsonNode json(String path) throws IOException;

    /** Text (a raw file, a trace); null for 404. */
    String text(String path) throws IOException;

    /** Something the offline walk needs that the online scan never fetched. */
    final class NotInEvidence extends IOException {
        NotInEvidence(String path) {
            super(path + " is not in the evidence folder (the online scan did not read it)");
        }
    }
}
