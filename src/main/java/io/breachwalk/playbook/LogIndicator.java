package io.breachwalk.playbook;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.regex.Pattern;

/** A log line shape: {@code proves} is `ran` (the step executed) or `referenced` (only fetched or mentioned). */
public record LogIndicator(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "proves", required = true) String proves,
        @JsonProperty(value = "pattern", required = true) Pattern pattern) {

    public LogIndicator {
        Checks.notBlank(id, "id");
        if (!"ran".equals(proves) && !"referenced".equals(proves)) {
            throw new IllegalArgumentException("`proves` must be `ran` or `referenced`, not `" + proves + "`");
        }
    }

    public boolean provesRan() {
        return "ran".equals(proves);
    }
}
