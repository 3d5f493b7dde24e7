package io.breachwalk.detect;

/**
 * An indicator found in a configuration.
 *
 * @param indicator what matched (the action repository, orb name, script pattern)
 * @param how       short label for reports: `codecov-action@v1`, `curl-bash`, `orb`, `bitrise-step`...
 * @param affected  whether this form ran the compromised code in the window
 * @param possible  true when the match is indirect (a wrapper, a weak pattern): at most `possible`
 * @param detail    why, for the evidence column
 */
public record Match(String indicator, String how, boolean affected, boolean possible, String detail) {
}
