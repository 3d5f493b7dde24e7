package io.breachwalk.model;

import java.util.List;

/**
 * Where a provider's secret is changed (rotation.csv's `change_url`): given by each provider, which knows its own
 * settings pages, so that the report writers name none.
 */
@FunctionalInterface
public interface ChangeUrls {

    /** No such page known: the column stays empty. */
    ChangeUrls NONE = (row, jobUrls) -> "";

    /**
     * The page for this rotation row, from the row (store scope, owner, host) and the web URLs of the jobs that had
     * the secret (the host and context path the provider's pages live under); "" when no store holds it. Never a URL
     * with user info.
     */
    String of(RotationItem row, List<String> jobUrls);
}
