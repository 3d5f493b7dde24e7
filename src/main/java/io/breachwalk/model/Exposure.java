package io.breachwalk.model;

import java.time.Instant;

/**
 * A secret in scope of a job that ran the compromised step. One row of exposures.csv; the ledger folds these into
 * rotation rows. Carries names and store metadata only, never a value.
 *
 * @param secretScope     repository, organization, environment, jenkins-credential, project, context, group,
 *                        instance, ephemeral, literal or unresolved
 * @param scopeOwner      who holds the store: owner/repo, org, owner/repo:env, system, a Jenkins folder path...
 * @param via             how the secret reached the job, for a person to check
 * @param secretUpdatedAt the store's change time, or null when the provider keeps none or it could not be read
 */
public record Exposure(
        JobFinding job,
        String secretName,
        String secretScope,
        String scopeOwner,
        ExposureLevel exposure,
        String via,
        SecretState state,
        Instant secretUpdatedAt) {
}
