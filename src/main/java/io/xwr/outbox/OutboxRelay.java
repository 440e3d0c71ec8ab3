package io.xwr.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.xwr.config.CoverageConfig;
import io.xwr.config.OutboxConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Drains the outbox to Kafka on one background thread per replica. Lanes are shared among replicas through
 * their row locks; a commit on this replica wakes the relay at once, and a poll catches the others'.
 * Without {@code kafka.bootstrap.servers} (the dev default) it only keeps the lag figures current: rows wait.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Outbox outbox;
    private final OutboxConfig config;
    private final OutboxMonitor monitor;
    private final Clock clock;
    private final Counter published;
    private final Counter failedBatches;
    private final Semaphore wakeUp = new Semaphore(0);
    /** Outbox ids this relay published whose delete did not commit: deleted, never sent, by its next drain. */
    private final Set<Long> publishedNotDeleted = ConcurrentHashMap.newKeySet();

    private final KafkaPublisher publisher;
    private volatile boolean running;
    private int failureStreak;
    private Thread thread;

    OutboxRelay(
            Outbox outbox,
            OutboxConfig config,
            OutboxMonitor monitor,
            CloudEventMapping mapping,
            MeterRegistry registry,
            Clock clock,
            CoverageConfig coverage,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrap) {
        this.outbox = outbox;
        this.config = config;
        this.monitor = monitor;
        this.clock = clock;
        this.published = registry.counter("xwr.outbox.published");
        this.failedBatches = registry.counter("xwr.outbox.failed.batches");
        boolean enabled =
                config.relayEnabled() && bootstrap.filter(s -> !s.isBlank()).isPresent();
        this.publisher =
                enabled ? new KafkaPublisher(kafka, transactionalId(config, coverage), mapping, registry, clock) : null;
    }

    /** Stable per pod when the replica is named (k8s/: the pod name), so a restart fences the crashed relay. */
    static String transactionalId(OutboxConfig config, CoverageConfig coverage) {
        return config.transactionalId()
                .or(() -> coverage.replicaId().map(replica -> "xwr-outbox-" + replica))
                .orElseGet(() -> "xwr-outbox-" + UUID.randomUUID());
    }

    void start(@Observes StartupEvent event) {
        running = true;
        monitor.relayState(publisher != null ? "running" : "off (no kafka.bootstrap.servers)");
        if (publisher == null) {
            LOG.info("Kafka is not configured: outbox rows are kept until a broker is configured.");
        }
        thread = Thread.ofPlatform().name("xwr-outbox-relay").daemon().start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wakeUp.release();
        if (publisher != null) {
            publisher.stopRetrying();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(15));
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    /** Wakes the relay once a recording transaction with new events has committed. */
    void onRecorded(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventsRecorded recorded) {
        wakeUp.release();
    }

    private void loop() {
        int failures = 0;
        while (running) {
            try {
                DrainCycle cycle = publisher == null ? new DrainCycle(0, false) : drainAll(publisher);
                failures = cycle.kafkaUnavailable() ? failures + 1 : 0;
                if (cycle.published() > 0) {
                    monitor.refresh();
                }
                if (cycle.published() == 0 || cycle.kafkaUnavailable()) {
                    pause(failures);
                }
            } catch (RuntimeException | Error e) {
                // Typically the database being away (pgjdbc may report a lost connection as an AssertionError).
                // The thread must outlive any one cycle: if it died, rows would wait without anyone noticing.
                failures++;
                LOG.warnf("Outbox relay cycle failed: %s", e);
                pause(failures);
            }
        }
    }

    /**
     * Drains every lane with work, many lanes per Kafka transaction, until nothing is left that this relay
     * can lock. A row Kafka refuses takes only its own lane out of the cycle; Kafka being away ends it.
     */
    public DrainCycle drainAll(OutboxPublisher via) {
        int sent = 0;
        boolean kafkaUnavailable = false;
        Set<Integer> refused = new HashSet<>();
        while (running) {
            List<Integer> lanes = new ArrayList<>(outbox.lanesWithWork());
            lanes.removeAll(refused);
            Outbox.Drain drain = drainLanes(lanes, via);
            sent += drain.published();
            if (drain.result() != DrainResult.FAILED) {
                if (drain.result() != DrainResult.PUBLISHED) {
                    break; // empty, or every lane with work is another replica's right now
                }
                continue;
            }
            failedBatches.increment();
            if (failureStreak++ == 0) {
                LOG.warnf(
                        "Publishing to Kafka failed (%s); retrying with back-off: %s",
                        drain.retriable() ? "Kafka unavailable" : "a row was refused in lane " + drain.failedLane(),
                        drain.error());
            }
            if (drain.retriable()) {
                kafkaUnavailable = true;
                break; // Kafka is away for every lane alike: back off
            }
            refused.add(drain.failedLane());
        }
        published.increment(sent);
        if (sent > 0 && failureStreak > 0 && !kafkaUnavailable) {
            LOG.infof("Outbox publishing recovered after %d failed batches", failureStreak);
            failureStreak = 0;
        }
        return new DrainCycle(sent, kafkaUnavailable);
    }

    /**
     * One drain, remembering what reached Kafka when the database then failed to delete it: Kafka's commit and
     * the database's are two, and a delete lost between them must not send those rows again (from this relay;
     * a relay killed in that instant leaves them to be sent twice, and consumers dedupe on the CloudEvent id).
     */
    private Outbox.Drain drainLanes(List<Integer> lanes, OutboxPublisher via) {
        List<Long> sent = new ArrayList<>();
        OutboxPublisher tracked = batch -> {
            PublishOutcome outcome = via.publish(batch);
            if (outcome instanceof PublishOutcome.Published) {
                batch.forEach(m -> sent.add(m.id()));
            }
            return outcome;
        };
        Set<Long> known = Set.copyOf(publishedNotDeleted);
        Outbox.Drain drain;
        try {
            drain = outbox.drainLanes(lanes, tracked, clock.instant(), known);
        } catch (RuntimeException | Error e) {
            if (!sent.isEmpty()) {
                publishedNotDeleted.addAll(sent);
                LOG.warnf(
                        "%d rows reached Kafka but their delete did not commit; they will not be sent again",
                        sent.size());
            }
            throw e;
        }
        publishedNotDeleted.removeAll(known); // deleted in the drain that just committed
        return drain;
    }

    /** The outcome of one pass: what it published, and whether Kafka was unavailable (calls for back-off). */
    public record DrainCycle(int published, boolean kafkaUnavailable) {}

    private void pause(int failures) {
        long base = config.pollInterval().toMillis();
        // Back off while Kafka keeps failing; a local commit still wakes the relay early.
        long wait = failures == 0 ? base : Math.min(MAX_BACKOFF.toMillis(), base << Math.min(failures, 5));
        try {
            wakeUp.tryAcquire(wait, TimeUnit.MILLISECONDS);
            wakeUp.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
