package io.breachwalk.playbook;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** The YAML document of a playbook, as written; {@link PlaybookLoader} turns it into a {@link Playbook}. */
record PlaybookFile(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "title", required = true) String title,
        @JsonProperty("summary") String summary,
        @JsonProperty("references") List<String> references,
        @JsonProperty(value = "window", required = true) WindowFile window,
        @JsonProperty(value = "indicators", required = true) Indicators indicators,
        @JsonProperty("exposure") ExposurePolicy exposure) {

    PlaybookFile {
        Checks.notBlank(id, "id");
        if (!id.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new IllegalArgumentException("`id` must be lower-case letters, digits, dots, dashes: `" + id + "`");
        }
        Checks.notBlank(title, "title");
        references = references == null ? List.of() : List.copyOf(references);
        exposure = exposure == null ? new ExposurePolicy(null, null, true) : exposure;
    }

    record WindowFile(@JsonProperty(value = "since", required = true) Instant since,
                      @JsonProperty(value = "until", required = true) Instant until) {
        WindowFile {
            new Window(since, until);
        }
    }
}
