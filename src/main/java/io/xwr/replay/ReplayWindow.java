package io.xwr.replay;

import java.time.Instant;

/**
 * One replay request: whole minutes, {@code from} inclusive, {@code to} the first minute after the window.
 * Sent as X's {@code to_date} it covers the window whether X reads it as exclusive (the AAA endpoint) or
 * inclusive (the current one, which then sends one minute more; duplicates are dropped by event key).
 */
public record ReplayWindow(Instant from, Instant to) {}
