package io.breachwalk.detect.config;

import java.util.List;
import java.util.Optional;

/**
 * The indicator questions the readers ask, in the shape of the core's IndicatorMatcher, so that a reader does not
 * care whether the answers come from the playbook matcher or from the interim rules.
 */
public interface Indicators {
    /** @param how short name for reports ("codecov-action@v1", "orb", "bitrise-step") */
    record Hit(String how, boolean affected, String detail) { }

    /** @param line 1-based line within the scanned text */
    record ScriptHit(int line, String how, boolean affected, String text) { }

    Optional<Hit> action(String uses);

    /** Every line that runs the uploader, or that uses Codecov some other way (affected=false). */
    List<ScriptHit> script(String text);

    Optional<Hit> orb(String orbRef);

    Optional<Hit> bitriseStep(String stepRef);
}
