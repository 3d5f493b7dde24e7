package io.breachwalk.playbook;

import java.util.Set;

/** Validation shared by the playbook records; the messages reach the user with the YAML line. */
final class Checks {
    private Checks() {
    }

    static void notBlank(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("`" + field + "` must not be empty");
        }
    }

    static void confidence(String value) {
        if (value != null && !Set.of("confirmed", "probable", "possible").contains(value)) {
            throw new IllegalArgumentException("`confidence` must be confirmed, probable or possible, not `" + value + "`");
        }
    }
}
