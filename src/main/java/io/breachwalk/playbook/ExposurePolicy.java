package io.breachwalk.playbook;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.breachwalk.model.ExposureLevel;

import java.util.List;

/** Which exposure levels demand rotation (required) or advise it (recommended). */
public record ExposurePolicy(
        @JsonProperty("required") List<ExposureLevel> required,
        @JsonProperty("recommended") List<ExposureLevel> recommended,
        @JsonProperty("git_remote_credentials") boolean gitRemoteCredentials) {

    public ExposurePolicy {
        required = required == null ? List.of(ExposureLevel.STEP) : List.copyOf(required);
        recommended = recommended == null ? List.of() : List.copyOf(recommended);
    }

    /** Whether secrets exposed at this level get a rotation row that asks for action. */
    public boolean asksRotation(ExposureLevel level) {
        return required.contains(level) || recommended.contains(level);
    }
}
