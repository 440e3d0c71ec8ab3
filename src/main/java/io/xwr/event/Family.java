package io.xwr.event;

/** The payload family a delivery belongs to, recognized by shape (spec 3.8). */
public enum Family {
    /** Account Activity API envelopes ({@code for_user_id}, {@code *_events}, {@code user_event}). */
    AAA,
    /** X Activity API envelopes ({@code data.event_type}). */
    XAA,
    /** Filtered-stream webhook posts ({@code data} post + {@code matching_rules}). */
    STREAM,
    /** Replay job completion ({@code replay_job_status}). */
    REPLAY,
    /** Anything else; stored raw and counted, never dropped. */
    UNKNOWN
}
