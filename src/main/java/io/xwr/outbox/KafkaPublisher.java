package io.xwr.outbox;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes outbox batches in Kafka transactions: a batch becomes visible to {@code read_committed} consumers
 * whole or not at all, so a failure half-way (broker gone, poison record) never leaves part of a batch to be
 * sent a second time. Idempotence and {@code acks=all} keep each partition in order without loss.
 */
final class KafkaPublisher implements OutboxPublisher, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaPublisher.class);
    /** How long one batch may take to be acknowledged before the transaction is aborted. */
    static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long a commit that timed out is retried before its outcome is given up as unknown. It stays well
     * inside the relay's database transaction (300 s), which keeps the lanes locked meanwhile.
     */
    static final Duration COMMIT_RETRY_LIMIT = Duration.ofMinutes(2);

    private static final Duration COMMIT_RETRY_PAUSE = Duration.ofMillis(200);

    private final Map<String, Object> config;
    private final CloudEventMapping mapping;
    private final Timer publishLag;
    private final Clock clock;
    private final Counter commitRetries;
    private volatile boolean closing;
    private Producer<String, CloudEvent> producer;

    /**
     * @param kafka the {@code kafka.*} configuration; settings given there win over the defaults below
     * @param transactionalId unique per relay instance; a restarted instance with the same id fences the old one
     */
    KafkaPublisher(
            Map<String, Object> kafka,
            String transactionalId,
            CloudEventMapping mapping,
            MeterRegistry registry,
            Clock clock) {
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class.getName());
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        c.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Fail a batch within seconds when the broker is away; the rows stay and the next cycle retries.
        c.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        c.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        c.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        c.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        this.config = c;
        this.mapping = mapping;
        this.clock = clock;
        this.publishLag = Timer.builder("xwr.outbox.publish.lag")
                .description("Time from the outbox commit to the Kafka commit")
                .publishPercentileHistogram()
                .register(registry);
        this.commitRetries = Counter.builder("xwr.outbox.commit.retries")
                .description("Kafka transaction commits that timed out and were retried")
                .register(registry);
    }

    @Override
    public synchronized PublishOutcome publish(List<OutboxMessage> batch) {
        Producer<String, CloudEvent> p;
        try {
            p = producer();
        } catch (KafkaException e) {
            discardProducer();
            return new PublishOutcome.Failed(0, "producer not ready: " + e.getMessage(), true);
        }
        try {
            p.beginTransaction();
            List<Future<?>> sent = new ArrayList<>(batch.size());
            for (OutboxMessage message : batch) {
                try {
                    sent.add(p.send(mapping.record(message)));
                } catch (KafkaException e) {
                    sent.add(CompletableFuture.failedFuture(e));
                    break;
                }
            }
            // Our own deadline, not flush(): with the transaction coordinator unreachable, records waiting to be
            // added to the transaction are not expired by delivery.timeout.ms and flush() would wait for ever.
            long deadline = System.nanoTime() + PUBLISH_TIMEOUT.toNanos();
            for (int i = 0; i < sent.size(); i++) {
                try {
                    sent.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    return culprit(sent, i, e.getCause(), deadline)
                            .map(c -> abort(p, c.index(), c.cause()))
                            .orElseGet(() -> abort(p, 0, e.getCause()));
                } catch (TimeoutException e) {
                    return abort(
                            p,
                            i,
                            new org.apache.kafka.common.errors.TimeoutException(
                                    "batch not acknowledged within " + PUBLISH_TIMEOUT));
                }
            }
            if (!commit(p)) {
                // Neither committed nor aborted as far as we know: this producer cannot begin another
                // transaction. The rows stay and go out again, so this one case may deliver a batch twice.
                discardProducer();
                return new PublishOutcome.Failed(
                        0,
                        "commit outcome unknown after " + COMMIT_RETRY_LIMIT + "; the batch will be sent again",
                        true);
            }
        } catch (ProducerFencedException
                | OutOfOrderSequenceException
                | AuthorizationException
                | UnsupportedVersionException e) {
            // Fatal for this producer instance: start a fresh one next time; the open transaction dies with it.
            discardProducer();
            return new PublishOutcome.Failed(0, describe(e), true);
        } catch (KafkaException e) {
            return abort(p, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return abort(p, 0, e);
        } catch (RuntimeException e) {
            // Not Kafka's documented failures (e.g. an IllegalStateException of the transaction manager): the
            // producer's state is unknown, so start afresh rather than fail the same way on every cycle.
            discardProducer();
            return new PublishOutcome.Failed(0, describe(e), true);
        }
        long now = clock.millis();
        for (OutboxMessage message : batch) {
            publishLag.record(
                    Duration.ofMillis(Math.max(0, now - message.createdAt().toEpochMilli())));
        }
        return new PublishOutcome.Published();
    }

    /**
     * Commits, retrying while the commit times out: a timed-out commit may still complete, and Kafka forbids
     * any other transactional call (abort included) until it is retried to an answer. Aborting instead would
     * leave the producer failing every later call; dropping the rows could lose a batch Kafka did commit.
     *
     * @return false when the outcome is still unknown after {@link #COMMIT_RETRY_LIMIT} or at shutdown
     */
    private boolean commit(Producer<String, CloudEvent> p) {
        long giveUpAt = System.nanoTime() + COMMIT_RETRY_LIMIT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                p.commitTransaction();
                if (attempt > 1) {
                    LOG.infof("Kafka transaction committed on attempt %d", attempt);
                }
                return true;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (closing || System.nanoTime() - giveUpAt > 0) {
                    LOG.warnf("Kafka commit outcome unknown after %d attempts; the batch will be sent again", attempt);
                    return false;
                }
                commitRetries.increment();
                if (attempt == 1) {
                    LOG.warnf(
                            "Kafka commit timed out; retrying it for up to %s: %s", COMMIT_RETRY_LIMIT, e.getMessage());
                }
                try {
                    // Each attempt already waits max.block.ms; the pause keeps a setting of 0 from spinning.
                    Thread.sleep(COMMIT_RETRY_PAUSE);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** A row that failed on its own account, and why. */
    private record Culprit(int index, Throwable cause) {}

    /**
     * The first row that failed on its own account. Once one record fails, Kafka fails the transaction's other
     * pending records with {@link TransactionAbortedException}; those rows are not to blame, and must not count
     * toward parking. Empty when only collateral failures are seen (then nothing is blamed).
     */
    private static Optional<Culprit> culprit(List<Future<?>> sent, int first, Throwable cause, long deadline) {
        if (!(cause instanceof TransactionAbortedException)) {
            return Optional.of(new Culprit(first, cause));
        }
        for (int k = first + 1; k < sent.size(); k++) {
            try {
                sent.get(k).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TransactionAbortedException)) {
                    return Optional.of(new Culprit(k, e.getCause()));
                }
            } catch (TimeoutException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private PublishOutcome abort(Producer<String, CloudEvent> p, int index, Throwable cause) {
        try {
            p.abortTransaction();
        } catch (RuntimeException e) {
            // Broker unreachable: the coordinator aborts the open transaction when the next producer with this
            // transactional id initializes.
            discardProducer();
        }
        boolean retriable = cause instanceof RetriableException
                || cause instanceof InterruptedException
                || cause instanceof TransactionAbortedException;
        return new PublishOutcome.Failed(index, describe(cause), retriable);
    }

    private Producer<String, CloudEvent> producer() {
        if (producer == null) {
            Producer<String, CloudEvent> fresh = new KafkaProducer<>(config);
            try {
                fresh.initTransactions();
            } catch (KafkaException e) {
                fresh.close(Duration.ZERO);
                throw e;
            }
            producer = fresh;
            LOG.infof(
                    "Outbox producer ready (transactional id %s)", config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
        }
        return producer;
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    /** Ends a commit retry at the next attempt: called at shutdown before waiting for the relay. */
    void stopRetrying() {
        closing = true;
    }

    @Override
    public synchronized void close() {
        closing = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
