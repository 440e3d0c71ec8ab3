package io.xwr.outbox;

import java.time.Instant;

/**
 * One outbox row as the relay publishes it: a CloudEvent's attributes plus its JSON data; {@code type} is the event's
 * own ({@code post.created}), prefixed when published; {@code traceparent} is the trace context of its delivery's
 * ack, null when that was not traced.
 */
public record OutboxMessage(
        long id,
        String eventKey,
        String topic,
        String messageKey,
        String type,
        Instant time,
        String subject,
        String payload,
        Instant createdAt,
        int attempts,
        int lane,
        String traceparent) {}
