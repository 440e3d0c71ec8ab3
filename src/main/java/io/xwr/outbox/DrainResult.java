package io.xwr.outbox;

/** The result of one attempt to drain a lane. */
public enum DrainResult {
    /** Another relay holds the lane. */
    BUSY,
    /** Nothing waiting in the lane. */
    EMPTY,
    /** A batch was published and removed. */
    PUBLISHED,
    /** The batch failed; the rows stay, the first failing one may have been parked. */
    FAILED
}
