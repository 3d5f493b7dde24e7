package io.breachwalk.cli;

import io.breachwalk.model.Gap;
import io.breachwalk.report.ScanReport;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.RetryPolicy;
import io.breachwalk.source.ScanOptions;

import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * report.json's `scan` block: when the scan ran, what it was asked to walk and with which options, and as whom
 * (what each provider's credential check resolved). An incident report goes to auditors: ROTATE against ROTATED
 * depends on when the scan ran. Never a token: URLs lose any user info, identities are account names.
 */
final class ScanBlock {

    private ScanBlock() {
    }

    /** Targets and options of a live scan, as the flags gave them. */
    static ScanReport.ScanInfo asked(ScanOptions o, RetryPolicy retry) {
        Map<String, Object> targets = new TreeMap<>();
        o.providers().forEach(p -> targets.putAll(p.reportTargets()));
        Map<String, Object> options = new TreeMap<>();
        options.put("concurrency", o.concurrency());
        options.put("retries", retry.maxAttempts());
        options.put("max_wait_seconds", retry.maxWait().toSeconds());
        return new ScanReport.ScanInfo(null, targets, options, Map.of());
    }

    /** `scan --offline`: the evidence folder is the target. */
    static ScanReport.ScanInfo askedOffline(Path evidenceDir, int concurrency) {
        Map<String, Object> targets = new TreeMap<>();
        targets.put("offline_evidence", String.valueOf(evidenceDir.toAbsolutePath().normalize()));
        Map<String, Object> options = new TreeMap<>();
        options.put("concurrency", concurrency);
        return new ScanReport.ScanInfo(null, targets, options, Map.of());
    }

    /** The finished block: the time the reports are written and each provider's identity. */
    static ScanReport.ScanInfo of(ScanReport.ScanInfo asked, List<CiSource<?>> sources, Clock clock) {
        Map<String, String> identity = new TreeMap<>();
        Map<String, Map<String, Object>> budgets = new TreeMap<>();
        for (CiSource<?> source : sources) {
            Map<String, Object> spent = source.budgets();
            if (spent != null && !spent.isEmpty()) {
                budgets.put(source.provider(), spent);
            }
            String who = source.identity();
            if (who != null && !who.isBlank()) {
                identity.put(source.provider(), who);
            }
        }
        return new ScanReport.ScanInfo(clock.instant().truncatedTo(ChronoUnit.SECONDS), asked.targets(),
                asked.options(), identity, budgets);
    }

    /**
     * What stopped each unusable provider, in the coverage row's words (`the jenkins walk could not run: ...`), or
     * the bare message if no row carries it.
     */
    static List<String> stopped(ScanReport report, List<String> messages) {
        List<String> out = new ArrayList<>();
        for (String m : messages) {
            out.add(report.coverage().stream().map(Gap::detail).filter(d -> d != null && d.endsWith(m)).findFirst()
                    .orElse(m));
        }
        return out;
    }
}
