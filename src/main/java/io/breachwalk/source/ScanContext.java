package io.breachwalk.source;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.Window;

/** What a walk needs: the incident, its window (possibly overridden), the matcher, and where to record findings. */
public record ScanContext(Playbook playbook, Window window, IndicatorMatcher matcher, Findings findings,
                          Progress progress, int concurrency) {
}
