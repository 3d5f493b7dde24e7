package io.breachwalk.model;

/**
 * What the reports say differently per provider, given by the provider itself so that the writers name none:
 * its name in prose (`Jenkins`) and what it calls its secrets (`credentials`), whether its secret stores keep change
 * times (GitHub does; Jenkins and GitLab keep none, so their rows stay REVIEW and a new scan cannot confirm a
 * rotation), what its credential is called (`token`, `user`), what to grant so that its stores can be listed, how
 * its instance-wide store is named (empty: by host), the word before a project's store (`folder team/app`) and
 * the page where each secret is changed.
 */
public record ProviderTraits(String provider, String displayName, String secretWord, boolean keepsSecretChangeTimes,
                             String account, String listPermission, String instanceStore, String projectStoreWord,
                             ChangeUrls changeUrls) {

    public ProviderTraits {
        changeUrls = changeUrls == null ? ChangeUrls.NONE : changeUrls;
    }

    /** The words for a provider no one described (a report written by a newer version). */
    public static ProviderTraits generic(String provider) {
        return new ProviderTraits(provider, provider, "secrets", true, "token",
                "the token read access to the secret settings", "", "", ChangeUrls.NONE);
    }
}
