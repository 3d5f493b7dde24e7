package io.breachwalk.playbook;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.breachwalk.model.ExposureLevel;

import java.util.List;

/**
 * Which exposure levels demand rotation (required) or advise it (recommended), and whether credentials written into a
 * git remote URL were taken (true unless the playbook says false).
 */
public record ExposurePolicy(
        @JsonProperty("required") List<ExposureLevel> required,
        @JsonProperty("recommended") List<ExposureLevel> recommended,
        @JsonProperty("git_remote_credentials") Boolean gitRemoteCredentials) {

    public ExposurePolicy {
        // Unsaid means taken: a missed credential costs more than an extra rotation, and an `exposure:` block that
        // leaves the key out must not mean the opposite of a playbook that leaves the whole block out.
        gitRemoteCredentials = gitRemoteCredentials == null || gitRemoteCredentials;
        required = required == null ? List.of(ExposureLevel.STEP) : List.copyOf(required);
        recommended = recommended == null ? List.of() : List.copyOf(recommended);
    }

    /** Whether secrets exposed at this level get a rotation row that asks for action. */
    public boolean asksRotation(ExposureLevel level) {
        return required.contains(level) || recommended.contains(level);
    }
}
