package io.xwr.store;

import java.time.Instant;

/** How far behind publishing is: rows waiting, rows parked, and when the oldest waiting row was written. */
public record OutboxStats(long pending, long parked, Instant oldestPending) {}
