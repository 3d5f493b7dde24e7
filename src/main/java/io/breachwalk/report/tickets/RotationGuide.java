package io.breachwalk.report.tickets;

import java.util.List;

/**
 * One section of playbooks/rotation.md: the steps for one secret type, copied into tickets so that the person who
 * picks a ticket up has them without opening the repository.
 *
 * @param title   the type in words, e.g. "AWS IAM access key"
 * @param steps   "Revoke: ...", "Replace: ...", "Redeploy: ...", "Audit: ..." in order
 * @param confirm how to tell the rotation is done, for this type
 */
public record RotationGuide(String id, String title, List<String> steps, String confirm) {
}
