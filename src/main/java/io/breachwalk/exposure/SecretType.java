package io.breachwalk.exposure;

/**
 * A kind of credential, for prioritising and for the rotation steps.
 *
 * @param critical  cloud, source control, package publishing, signing, deploy: P1 when exposed at STEP
 * @param ephemeral issued for the job and expired with it
 * @param guide     breachwalk's steps: `guide/rotation.md#<id>`, relative to the scan's output folder (or the
 *                  absolute URL the YAML names instead)
 * @param vendor    the vendor's official revoke/rotate page, or null when the steps are vendor-specific
 */
public record SecretType(String id, boolean critical, boolean ephemeral, String guide, String vendor) {
}
