package io.breachwalk.model;

/**
 * Naming conventions for secrets that have no name in a CI system's store, shared by the providers that find them
 * and the ledger that decides whether to rotate them.
 */
public final class SecretNaming {

    /** How providers name a credential embedded in a git remote URL (DESIGN 4.4): `url-credential:user@host`. */
    public static final String URL_CREDENTIAL = "url-credential:";

    private SecretNaming() {
    }

    /** The name of the credential of {@code user} embedded in a git remote URL of {@code host}. */
    public static String urlCredential(String user, String host) {
        return URL_CREDENTIAL + user + "@" + host;
    }
}
