package io.xwr.compliance;

/** Why content was purged. */
public enum PurgeReason {
    /** X delivered the post's deletion ({@code tweet_delete_events}, XAA {@code post.delete}). */
    POST_DELETED,
    /** The user revoked the app (AAA {@code user_event} revoke, XAA {@code oauth.revoke}). */
    APP_REVOKED,
    /** An operator asked, e.g. for X's own deletion request; the request's reason is in the note. */
    REQUESTED,
    /**
     * X's batch compliance answered that a stored post or user must go, or lose its geo data (deleted, suspended,
     * protected, scrub_geo...); the job and X's reason are in the note.
     */
    X_COMPLIANCE
}
