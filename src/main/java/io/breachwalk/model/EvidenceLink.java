package io.breachwalk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One thing a verdict rests on, as kept in the evidence folder: its kind (`github-workflow`, `jenkins-console`, ...),
 * the name the walk knew it by (a file key `owner/repo:ref:path`, a job id, a store), the job it belongs to (null: every
 * job of the run) and the sha256 of the stored content. {@code hash} is null when the thing was asked for and is not
 * there (a log that expired, a file not found); {@code note} then says why, for the offline re-analysis.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvidenceLink(@JsonProperty("kind") String kind, @JsonProperty("name") String name,
                           @JsonProperty("job") String job, @JsonProperty("hash") String hash,
                           @JsonProperty("note") String note) {

    public static EvidenceLink stored(String kind, String name, String job, String hash) {
        return new EvidenceLink(kind, name, job, hash, null);
    }

    public static EvidenceLink absent(String kind, String name, String job, String why) {
        return new EvidenceLink(kind, name, job, null, why);
    }
}
