package io.xwr.outbox;

import java.time.Instant;

/** An outbox row the relay gave up on until an operator releases it; the payload stays in the events table. */
public record ParkedMessage(
        long id, String eventKey, String topic, String type, int attempts, String lastError, Instant parkedAt) {}
