package io.xwr.outbox;

import java.time.Instant;

/**
 * How far behind publishing is: rows waiting (counted up to {@link #COUNT_CAP}; a value of the cap means at least
 * that many), rows parked, and when the oldest waiting row was written.
 */
public record OutboxStats(long pending, long parked, Instant oldestPending) {
    /** Past this many waiting rows the count stops: the age of the oldest row says more than an exact count. */
    public static final int COUNT_CAP = 10_000;
}
