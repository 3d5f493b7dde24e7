package io.breachwalk.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * What one run (a GitHub workflow run, a Jenkins build) was judged from, or with {@code runId} empty what a whole
 * project was judged from (secret listings, a Jenkins job's config.xml). {@code facts} holds the few things the walk
 * learnt from a listing rather than a stored file (a Jenkins job's class). The evidence folder's manifest is the list
 * of these records; {@code breachwalk scan --offline} replays them.
 */
public record EvidenceRecord(@JsonProperty("provider") String provider, @JsonProperty("host") String host,
                             @JsonProperty("project") String project, @JsonProperty("run_id") String runId,
                             @JsonProperty("facts") Map<String, String> facts,
                             @JsonProperty("items") List<EvidenceLink> items) {

    public EvidenceRecord {
        facts = facts == null ? Map.of() : new java.util.TreeMap<>(facts);
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** The stable key of a job row: `provider|host|project|run_id|run_attempt|job_id`. */
    public static String jobKey(JobFinding j) {
        return String.join("|", j.provider(), j.host(), j.project(), j.runId(), Integer.toString(j.runAttempt()),
                j.jobId());
    }
}
