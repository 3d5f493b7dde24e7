package io.breachwalk.model;

import java.time.Instant;

/** One distinct secret that any exposure touched, with what to do about it. One row of rotation.csv. */
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
        String guide) {
}
