package io.breachwalk.exposure;

import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.Order;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.RotationStatus;
import io.breachwalk.model.SecretNaming;
import io.breachwalk.model.SecretState;
import io.breachwalk.playbook.Playbook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Folds exposures into one rotation row per distinct secret, with status and priority (DESIGN 5.2). */
public final class Ledger {

    private final Playbook playbook;
    private final SecretTypes types;

    public Ledger(Playbook playbook, SecretTypes types) {
        this.playbook = playbook;
        this.types = types;
    }

    /** `bw-` + 16 hex digits of SHA-256 over the secret's identity: stable across runs, the tickets' dedupe key. */
    public static String secretId(String playbookId, String provider, String host, String scope, String owner,
                                  String name) {
        String key = String.join("|", playbookId, provider, host, scope, owner, name);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "bw-" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The secret_id an exposure folds into, so exposures.csv joins rotation.csv and the tickets. */
    public static String secretId(String playbookId, Exposure e) {
        return secretId(playbookId, e.job().provider(), e.job().host(), e.secretScope(), e.scopeOwner(),
                e.secretName());
    }

    /**
     * One row per secret, from the exposures the playbook's policy asks to act on: levels it neither requires nor
     * recommends, and credentials from git remote URLs when it says the payload did not send them, stay in
     * exposures.csv only.
     */
    public List<RotationItem> rotation(List<Exposure> exposures) {
        // In report order, whatever order the walk found them in: a row's job URL must not depend on thread timing.
        List<Exposure> ordered = new ArrayList<>(exposures);
        ordered.sort(Order.EXPOSURES);
        Map<String, List<Exposure>> bySecret = new LinkedHashMap<>();
        for (Exposure e : ordered) {
            if (!playbook.exposure().asksRotation(e.exposure())
                    || (!playbook.exposure().gitRemoteCredentials()
                    && e.secretName().startsWith(SecretNaming.URL_CREDENTIAL))) {
                continue;
            }
            bySecret.computeIfAbsent(secretId(playbook.id(), e), k -> new ArrayList<>()).add(e);
        }
        List<RotationItem> items = new ArrayList<>();
        bySecret.forEach((id, group) -> items.add(item(id, group)));
        items.sort(ORDER);
        return items;
    }

    /** Priority first, then where the secret lives: the order a responder works through. */
    public static final Comparator<RotationItem> ORDER = Comparator.comparing(RotationItem::priority)
            .thenComparing(RotationItem::provider).thenComparing(RotationItem::host)
            .thenComparing(RotationItem::secretScope).thenComparing(RotationItem::scopeOwner)
            .thenComparing(RotationItem::secretName);

    private RotationItem item(String id, List<Exposure> group) {
        Exposure any = group.get(0);
        ExposureLevel level = ExposureLevel.JOB;
        Instant first = null;
        Instant last = null;
        Instant updated = null;
        JobFinding latest = null;
        Set<String> jobs = new TreeSet<>();
        SecretState state = SecretState.PRESENT;
        String basis = JobFinding.COMMIT_HISTORY;
        for (Exposure e : group) {
            level = ExposureLevel.strongest(level, e.exposure());
            JobFinding job = e.job();
            jobs.add(String.join("|", job.project(), job.runId(), String.valueOf(job.runAttempt()), job.jobId()));
            if (JobFinding.RUNS.equals(job.basis())) {
                basis = JobFinding.RUNS;
            }
            if (job.startedAt() != null && (first == null || job.startedAt().isBefore(first))) {
                first = job.startedAt();
            }
            // A configuration read from the commit history could have run until it changed: the secret is exposed
            // until then, so a change before that moment does not make it ROTATED.
            Instant at = job.exposedUntil();
            if (at != null) {
                if (last == null || at.isAfter(last)
                        || (at.equals(last) && latest != null && compareUrl(job, latest) < 0)) {
                    last = at;
                    latest = job;
                }
            } else if (latest == null) {
                latest = job;
            }
            if (e.secretUpdatedAt() != null && (updated == null || e.secretUpdatedAt().isAfter(updated))) {
                updated = e.secretUpdatedAt();
            }
            state = weakest(state, e.state());
        }
        if ("ephemeral".equals(any.secretScope())) {
            state = SecretState.EPHEMERAL;
        }
        SecretType type = types.byName(any.secretName());
        RotationStatus status = status(state, type, updated, last, any.secretScope());
        return new RotationItem(id, any.job().provider(), any.job().host(), any.secretScope(), any.scopeOwner(),
                any.secretName(), type.id(), level, first, last, jobs.size(), latest == null ? "" : latest.url(),
                updated, status, priority(status, level, type), type.guide(), basis);
    }

    private static int compareUrl(JobFinding a, JobFinding b) {
        return String.valueOf(a.url()).compareTo(String.valueOf(b.url()));
    }

    /** When exposures disagree about the store, the least certain state wins: it asks more of the responder. */
    private static SecretState weakest(SecretState a, SecretState b) {
        List<SecretState> order = List.of(SecretState.UNKNOWN, SecretState.MISSING, SecretState.PRESENT,
                SecretState.EPHEMERAL);
        return order.indexOf(a) <= order.indexOf(b) ? a : b;
    }

    private static RotationStatus status(SecretState state, SecretType type, Instant updated, Instant lastExposed,
                                         String scope) {
        if (state == SecretState.EPHEMERAL || type.ephemeral()) {
            return RotationStatus.EPHEMERAL;
        }
        if (state == SecretState.MISSING) {
            return RotationStatus.MISSING;
        }
        if (state == SecretState.UNKNOWN || updated == null || "literal".equals(scope)) {
            return RotationStatus.REVIEW;
        }
        return lastExposed != null && updated.isAfter(lastExposed) ? RotationStatus.ROTATED : RotationStatus.ROTATE;
    }

    /**
     * From what the secret is and how it was exposed (DESIGN 5.2). REVIEW and MISSING keep the priority a ROTATE row
     * would have: not knowing whether a key was changed is no reason to look at it later.
     */
    private static String priority(RotationStatus status, ExposureLevel level, SecretType type) {
        return switch (status) {
            case ROTATE, MISSING, REVIEW -> level == ExposureLevel.STEP ? (type.critical() ? "P1" : "P2") : "P3";
            case ROTATED, EPHEMERAL -> "P4";
        };
    }
}
