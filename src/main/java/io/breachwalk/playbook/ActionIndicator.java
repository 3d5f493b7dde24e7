package io.breachwalk.playbook;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A GitHub Action whose listed versions ran the compromised code. Refs are glob patterns; a commit SHA is classified
 * through {@code commitsFile} (a TSV shipped beside the playbook: sha, first_tag, committed_at, class).
 */
public record ActionIndicator(
        @JsonProperty(value = "repository", required = true) String repository,
        @JsonProperty(value = "how", required = true) String how,
        @JsonProperty("affected_refs") List<String> affectedRefs,
        @JsonProperty("commits_file") String commitsFile,
        @JsonProperty("affected_classes") List<String> affectedClasses) {

    public ActionIndicator {
        Checks.notBlank(repository, "repository");
        Checks.notBlank(how, "how");
        affectedRefs = affectedRefs == null ? List.of() : List.copyOf(affectedRefs);
        affectedClasses = affectedClasses == null ? List.of() : List.copyOf(affectedClasses);
    }
}
