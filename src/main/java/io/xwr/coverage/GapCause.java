package io.xwr.coverage;

/** Why deliveries may be missing. */
public enum GapCause {
    /** No replica could accept: all down, or the database unreachable (deliveries got 503s). */
    DOWNTIME,
    /** X reported the webhook invalid: it delivered nothing until a CRC passed again. */
    WEBHOOK_INVALID,
    /** An operator asked for a replay of a window. */
    MANUAL,
    /** Deliveries failed their signature until a rotated consumer secret was configured here. */
    SIGNATURE_ROTATION
}
