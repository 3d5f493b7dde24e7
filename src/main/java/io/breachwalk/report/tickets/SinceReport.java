package io.breachwalk.report.tickets;

import io.breachwalk.model.RotationItem;
import io.breachwalk.report.RotationNotes;
import io.breachwalk.report.ScanReport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * `--since-report OLD.json`: for a second import, only the secrets that are new or whose rotation row changed in a
 * way a responder must act on. Changed means status, priority, exposure level, type, exposure times, number of
 * jobs or the store's change time differ; wording, settings and tool version do not count, so an unchanged secret
 * is never re-filed.
 *
 * <p>A secret_id names the store, so the same secret seen by a token that could list the secrets and by one that
 * could not (GitHub's Secrets permission) has two ids: `environment` secret of `acme/api:production` with one,
 * `unresolved` of `acme/api` without. Such a pair is recognised (same provider, host and name; the unresolved row's
 * owner is a project whose jobs had the resolved secret) and the delta ticket keeps the earlier report's External ID,
 * so that the import updates the ticket already filed instead of adding a second one.
 */
public final class SinceReport {

    public static final String UNRESOLVED = "unresolved";

    /**
     * One ticket of the delta.
     *
     * @param earlier the earlier report's rows this secret was seen as under another id (its store unresolved in one
     *                report and resolved in the other), in the earlier report's order; empty when the id is the same
     *                or the secret is new. The ticket is written under the first one's id.
     */
    public record Entry(RotationItem item, List<RotationItem> earlier) {

        public String externalId() {
            return earlier.isEmpty() ? item.secretId() : earlier.get(0).secretId();
        }
    }

    private SinceReport() {
    }

    public static List<RotationItem> newOrChanged(ScanReport old, List<RotationItem> current) {
        Map<String, RotationItem> before = byId(old);
        return current.stream().filter(r -> !before.containsKey(r.secretId()) || changed(before.get(r.secretId()), r))
                .toList();
    }

    /**
     * The delta of `items` (rows of `current`) against `old`: new or changed secrets, and secrets that continue an
     * earlier ticket under another id. A pair always goes into the delta: where the secret is stored, and so what
     * the ticket says, changed.
     */
    public static List<Entry> delta(ScanReport old, ScanReport current, List<RotationItem> items) {
        Map<String, RotationItem> before = byId(old);
        Set<String> now = byId(current).keySet();
        RotationNotes oldNotes = new RotationNotes(old);
        RotationNotes newNotes = new RotationNotes(current);
        Set<String> claimed = new HashSet<>();
        List<Entry> out = new ArrayList<>();
        for (RotationItem r : items) {
            RotationItem same = before.get(r.secretId());
            if (same != null) {
                if (changed(same, r)) {
                    out.add(new Entry(r, List.of()));
                }
                continue;
            }
            List<RotationItem> pair = new ArrayList<>();
            for (RotationItem o : before.values()) {
                if (!now.contains(o.secretId()) && !claimed.contains(o.secretId())
                        && samePlace(o, r) && pairs(o, r, oldNotes, newNotes)) {
                    pair.add(o);
                }
            }
            pair.forEach(o -> claimed.add(o.secretId()));
            out.add(new Entry(r, List.copyOf(pair)));
        }
        return out;
    }

    /** A report's rotation rows by secret_id, in report order. */
    private static Map<String, RotationItem> byId(ScanReport report) {
        Map<String, RotationItem> out = new LinkedHashMap<>();
        for (RotationItem r : report.rotation()) {
            out.put(r.secretId(), r);
        }
        return out;
    }

    private static boolean samePlace(RotationItem a, RotationItem b) {
        return Objects.equals(a.provider(), b.provider()) && Objects.equals(a.host(), b.host())
                && Objects.equals(a.secretName(), b.secretName());
    }

    /** One row unresolved, the other in a store, and the unresolved row's project among the stored one's jobs. */
    private static boolean pairs(RotationItem old, RotationItem now, RotationNotes oldNotes, RotationNotes newNotes) {
        if (UNRESOLVED.equals(old.secretScope()) && stored(now)) {
            return newNotes.projects(now).contains(old.scopeOwner());
        }
        if (UNRESOLVED.equals(now.secretScope()) && stored(old)) {
            return oldNotes.projects(old).contains(now.scopeOwner());
        }
        return false;
    }

    private static boolean stored(RotationItem r) {
        return !UNRESOLVED.equals(r.secretScope()) && !"ephemeral".equals(r.secretScope())
                && !"literal".equals(r.secretScope());
    }

    static boolean changed(RotationItem a, RotationItem b) {
        return a.status() != b.status() || !Objects.equals(a.priority(), b.priority()) || a.exposure() != b.exposure()
                || !Objects.equals(a.secretType(), b.secretType())
                || !Objects.equals(a.firstExposedAt(), b.firstExposedAt())
                || !Objects.equals(a.lastExposedAt(), b.lastExposedAt()) || a.jobsExposed() != b.jobsExposed()
                || !Objects.equals(a.secretUpdatedAt(), b.secretUpdatedAt());
    }
}
