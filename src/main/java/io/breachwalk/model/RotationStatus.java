package io.breachwalk.model;

/** What a rotation row asks of the responder (DESIGN 5.2). */
public enum RotationStatus {
    /** Not changed since the last exposure. */
    ROTATE,
    /** Changed after the last exposure: verify the change really replaced the value. */
    ROTATED,
    /** Expired with the job. */
    EPHEMERAL,
    /** Referenced, no longer stored: confirm it was revoked. */
    MISSING,
    /** No change time available. */
    REVIEW;

    /** Statuses that a ticket should be filed for. */
    public boolean asksForAction() {
        return this == ROTATE || this == MISSING || this == REVIEW;
    }
}
