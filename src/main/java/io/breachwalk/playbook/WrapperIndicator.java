package io.breachwalk.playbook;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.regex.Pattern;

/** A third-party action or template that may wrap the compromised step: matched on its name, reported `possible`. */
public record WrapperIndicator(
        @JsonProperty(value = "pattern", required = true) Pattern pattern,
        @JsonProperty(value = "how", required = true) String how) {

    public WrapperIndicator {
        Checks.notBlank(how, "how");
    }
}
