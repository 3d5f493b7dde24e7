package io.breachwalk.detect.config;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.Match;
import io.breachwalk.detect.ScriptMatch;
import java.util.List;
import java.util.Optional;

/** The readers' indicator questions answered by the playbook, through the core's {@link IndicatorMatcher}. */
public final class CoreIndicators implements Indicators {
    private final IndicatorMatcher matcher;

    public CoreIndicators(IndicatorMatcher matcher) { this.matcher = matcher; }

    @Override public Optional<Hit> action(String uses) { return matcher.action(uses).map(CoreIndicators::hit); }

    @Override
    public List<ScriptHit> script(String text) {
        return matcher.script(text).stream().map(CoreIndicators::scriptHit).toList();
    }

    @Override public Optional<Hit> orb(String orbRef) { return matcher.orb(orbRef).map(CoreIndicators::hit); }

    @Override public Optional<Hit> bitriseStep(String stepRef) { return matcher.bitriseStep(stepRef).map(CoreIndicators::hit); }

    private static Hit hit(Match m) { return new Hit(m.how(), m.affected(), m.possible(), m.detail()); }

    private static ScriptHit scriptHit(ScriptMatch m) { return new ScriptHit(m.line(), m.how(), m.affected(), m.possible(), m.text()); }
}
