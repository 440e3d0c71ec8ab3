package io.xwr.outbox;

import java.time.Instant;

/**
 * One outbox row as the relay publishes it: a CloudEvent's attributes plus its JSON data (UTF-8); {@code type} is the event's
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
        byte[] data,
        Instant createdAt,
        int attempts,
        int lane,
        String traceparent) {
    /** The same row with the data rendered for it at publish time. */
    OutboxMessage rendered(byte[] rendered, String renderedTraceparent) {
        return new OutboxMessage(
                id,
                eventKey,
                topic,
                messageKey,
                type,
                time,
                subject,
                rendered,
                createdAt,
                attempts,
                lane,
                renderedTraceparent);
    }
}
