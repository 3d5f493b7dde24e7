package io.breachwalk.exposure;

/**
 * A kind of credential, for prioritising and for the rotation steps.
 *
 * @param critical  cloud, source control, package publishing, signing, deploy: P1 when exposed at STEP
 * @param ephemeral issued for the job and expired with it
 * @param guide     the vendor's rotation page, or a `rotation.md#...` anchor in the playbooks folder
 */
public record SecretType(String id, boolean critical, boolean ephemeral, String guide) {
}
