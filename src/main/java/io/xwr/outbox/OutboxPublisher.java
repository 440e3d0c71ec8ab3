package io.xwr.outbox;

import java.util.List;

/** Sends a batch of outbox messages, all or nothing, in order. */
@FunctionalInterface
public interface OutboxPublisher {
    PublishOutcome publish(List<OutboxMessage> batch);
}
