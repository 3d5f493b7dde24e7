package io.breachwalk.sim.github;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer of the {@link GitHubSimulator} before it is written: status, headers, body. */
record Reply(int status, Map<String, String> headers, byte[] body, String contentType) {
    /** The documentation_url of GitHub's error answers. */
    static final String DOCS = "https://docs.github.com/rest";

    static Reply json(int status, JsonNode body) {
        return json(status, body, new LinkedHashMap<>());
    }

    static Reply json(int status, JsonNode body, Map<String, String> headers) {
        try {
            return new Reply(status, headers, Payloads.JSON.writeValueAsBytes(body), "application/json; charset=utf-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Reply error(int status, String message) {
        return json(status, Payloads.message(message, DOCS));
    }
}
