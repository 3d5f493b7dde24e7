package io.breachwalk.source;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.Window;

/**
 * What a walk needs: the incident, its window (possibly overridden), the matcher, where to record findings, and how
 * to retry and wait ({@link RetryPolicy}; each source makes its own {@link Retry} from it, since rate limits are per
 * provider).
 */
public record ScanContext(Playbook playbook, Window window, IndicatorMatcher matcher, Findings findings,
                          Progress progress, int concurrency, RetryPolicy retryPolicy) {

    public ScanContext {
        retryPolicy = retryPolicy == null ? RetryPolicy.defaults() : retryPolicy;
    }

    public ScanContext(Playbook playbook, Window window, IndicatorMatcher matcher, Findings findings,
                       Progress progress, int concurrency) {
        this(playbook, window, matcher, findings, progress, concurrency, RetryPolicy.defaults());
    }

    /** A fresh retry state (shared pause for rate limits) for one provider's walk. */
    public Retry retry() {
        return new Retry(retryPolicy, progress);
    }
}
