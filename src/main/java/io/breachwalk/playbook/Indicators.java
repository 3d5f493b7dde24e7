package io.breachwalk.playbook;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** Everything that identifies the compromised step in CI configurations and logs. */
public record Indicators(
        @JsonProperty("actions") List<ActionIndicator> actions,
        @JsonProperty("wrapper_actions") List<WrapperIndicator> wrapperActions,
        @JsonProperty("scripts") List<ScriptIndicator> scripts,
        @JsonProperty("orbs") List<VersionedIndicator> orbs,
        @JsonProperty("bitrise_steps") List<VersionedIndicator> bitriseSteps,
        @JsonProperty("logs") List<LogIndicator> logs) {

    public Indicators {
        actions = actions == null ? List.of() : List.copyOf(actions);
        wrapperActions = wrapperActions == null ? List.of() : List.copyOf(wrapperActions);
        scripts = scripts == null ? List.of() : List.copyOf(scripts);
        orbs = orbs == null ? List.of() : List.copyOf(orbs);
        bitriseSteps = bitriseSteps == null ? List.of() : List.copyOf(bitriseSteps);
        logs = logs == null ? List.of() : List.copyOf(logs);
        if (actions.isEmpty() && scripts.isEmpty() && orbs.isEmpty() && bitriseSteps.isEmpty()) {
            throw new IllegalArgumentException("`indicators` needs at least one of actions, scripts, orbs, bitrise_steps");
        }
    }
}
