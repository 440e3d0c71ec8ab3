package io.xwr.outbox;

/**
 * Fired inside the recording transaction when it added events; observers with {@code during =
 * AFTER_SUCCESS} hear it only once the rows are committed (the relay uses it to wake up).
 */
public record EventsRecorded(int newEvents) {}
