package io.breachwalk.detect;

/** A log line that shows the compromised step ran ({@code provesRan}) or was only referenced. */
public record LogMatch(String indicator, boolean provesRan, String text) {
}
