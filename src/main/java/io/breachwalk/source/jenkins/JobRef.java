package io.breachwalk.source.jenkins;

import java.util.List;

/** A job to assess: its names from the root, its class, and the multibranch parent's config when it has one. */
record JobRef(List<String> names, String clazz, boolean branchJob) {
    String fullName() { return String.join("/", names); }

    String name() { return names.get(names.size() - 1); }

    List<String> folders() { return names.subList(0, names.size() - 1); }
}
