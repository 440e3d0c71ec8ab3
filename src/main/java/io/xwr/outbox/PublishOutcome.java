package io.xwr.outbox;

/** What happened to a batch handed to an {@link OutboxPublisher}. */
public sealed interface PublishOutcome {

    /** Every message of the batch is durably in Kafka. */
    record Published() implements PublishOutcome {}

    /**
     * Nothing of the batch became visible (the Kafka transaction was aborted). {@code index} names the first
     * message that failed; a non-retriable failure counts toward parking that message.
     */
    record Failed(int index, String error, boolean retriable) implements PublishOutcome {}
}
