package io.breachwalk.report.tickets;

import io.breachwalk.model.RotationItem;
import io.breachwalk.report.ScanReport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * `--since-report OLD.json`: for a second import, only the secrets that are new or whose rotation row changed in a
 * way a responder must act on. Changed means status, priority, exposure level, type, exposure times, number of
 * jobs or the store's change time differ; wording, settings and tool version do not count, so an unchanged secret
 * is never re-filed.
 */
public final class SinceReport {

    private SinceReport() {
    }

    public static List<RotationItem> newOrChanged(ScanReport old, List<RotationItem> current) {
        Map<String, RotationItem> before = new HashMap<>();
        for (RotationItem r : old.rotation()) {
            before.put(r.secretId(), r);
        }
        return current.stream().filter(r -> !before.containsKey(r.secretId()) || changed(before.get(r.secretId()), r))
                .toList();
    }

    static boolean changed(RotationItem a, RotationItem b) {
        return a.status() != b.status() || !Objects.equals(a.priority(), b.priority()) || a.exposure() != b.exposure()
                || !Objects.equals(a.secretType(), b.secretType())
                || !Objects.equals(a.firstExposedAt(), b.firstExposedAt())
                || !Objects.equals(a.lastExposedAt(), b.lastExposedAt()) || a.jobsExposed() != b.jobsExposed()
                || !Objects.equals(a.secretUpdatedAt(), b.secretUpdatedAt());
    }
}
