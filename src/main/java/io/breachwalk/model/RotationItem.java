package io.breachwalk.model;

import java.time.Instant;

/**
 * One distinct secret that any exposure touched, with what to do about it. One row of rotation.csv. {@code basis} is
 * `runs` when any exposure rests on run records, else `commit-history` (see {@link JobFinding}).
 */
public record RotationItem(
        String secretId,
        String provider,
        String host,
        String secretScope,
        String scopeOwner,
        String secretName,
        String secretType,
        ExposureLevel exposure,
        Instant firstExposedAt,
        Instant lastExposedAt,
        int jobsExposed,
        String exampleUrl,
        Instant secretUpdatedAt,
        RotationStatus status,
        String priority,
        String guide,
        String basis) {

    public RotationItem {
        basis = basis == null || basis.isBlank() ? JobFinding.RUNS : basis; // reports written before `basis` existed
    }

    public RotationItem(String secretId, String provider, String host, String secretScope, String scopeOwner,
                        String secretName, String secretType, ExposureLevel exposure, Instant firstExposedAt,
                        Instant lastExposedAt, int jobsExposed, String exampleUrl, Instant secretUpdatedAt,
                        RotationStatus status, String priority, String guide) {
        this(secretId, provider, host, secretScope, scopeOwner, secretName, secretType, exposure, firstExposedAt,
                lastExposedAt, jobsExposed, exampleUrl, secretUpdatedAt, status, priority, guide, JobFinding.RUNS);
    }
}
