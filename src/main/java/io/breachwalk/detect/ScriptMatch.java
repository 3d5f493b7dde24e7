package io.breachwalk.detect;

/**
 * A shell line that mentions an indicator.
 *
 * @param line     1-based line within the script text given to the matcher
 * @param affected whether the line runs the compromised code (false: a related line that does not, e.g. pip codecov)
 * @param possible true when the pattern is weak (at most `possible`)
 * @param text     the line, trimmed
 */
public record ScriptMatch(int line, String how, boolean affected, boolean possible, String text) {
}
