package io.breachwalk.playbook;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** A CircleCI orb or Bitrise step, `name@version`, whose listed versions (glob patterns) ran the compromised code. */
public record VersionedIndicator(
        @JsonProperty(value = "name", required = true) @JsonAlias("id") String name,
        @JsonProperty(value = "how", required = true) String how,
        @JsonProperty(value = "affected_versions", required = true) List<String> affectedVersions) {

    public VersionedIndicator {
        Checks.notBlank(name, "name");
        Checks.notBlank(how, "how");
        affectedVersions = affectedVersions == null ? List.of() : List.copyOf(affectedVersions);
    }
}
