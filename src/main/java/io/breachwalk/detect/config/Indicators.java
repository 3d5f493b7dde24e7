package io.breachwalk.detect.config;

import java.util.List;
import java.util.Optional;

/**
 * The indicator questions the readers ask. {@link CoreIndicators} answers them from the playbook through the core's
 * IndicatorMatcher; tests may answer them otherwise.
 * {@code possible}: the match is indirect or weak (a wrapper action, codecov.io/env), so at most "possible".
 */
public interface Indicators {
    /** @param how short name for reports ("codecov-action@v1", "orb", "bitrise-step") */
    record Hit(String how, boolean affected, boolean possible, String detail) { }

    /** @param line 1-based line within the scanned text */
    record ScriptHit(int line, String how, boolean affected, boolean possible, String text) { }

    Optional<Hit> action(String uses);

    /** Every line that runs the uploader, or that uses Codecov some other way (affected=false). */
    List<ScriptHit> script(String text);

    Optional<Hit> orb(String orbRef);

    Optional<Hit> bitriseStep(String stepRef);
}
