package io.breachwalk.playbook;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.regex.Pattern;

/**
 * A shell-line shape. {@code affected=false} names a related line that does not run the compromised code (so the
 * evidence can say why a job is not counted). {@code confidence} caps the confidence of a match (e.g. `possible`).
 */
public record ScriptIndicator(
        @JsonProperty(value = "how", required = true) String how,
        @JsonProperty(value = "affected", required = true) boolean affected,
        @JsonProperty(value = "pattern", required = true) Pattern pattern,
        @JsonProperty("confidence") String confidence) {

    public ScriptIndicator {
        Checks.notBlank(how, "how");
        Checks.confidence(confidence);
    }
}
