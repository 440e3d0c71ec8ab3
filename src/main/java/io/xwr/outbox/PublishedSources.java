package io.xwr.outbox;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.xwr.event.ActivityEvent;
import io.xwr.event.EventJson;
import io.xwr.event.Normalization;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the projection found in a delivery, kept in memory for the relay: X's objects of its events as published
 * JSON, so the relay, usually a moment behind on the same replica, neither reads the body again nor parses it
 * again. Each entry names the body revision it was read from; the relay takes it only while that is still the
 * stored revision (a purge that rewrote the body since counts it up), so a purge is never overtaken by a copy.
 * Bounded by bytes; what it no longer holds (another replica projected it, a restart, the relay far behind) the
 * relay reads from the log as before.
 */
@ApplicationScoped
public class PublishedSources {
    /** X's object of one event and what surrounds it, as published JSON (null when the event has none). */
    record Parts(byte[] source, byte[] envelope) {
        int weight() {
            return 64 + (source == null ? 0 : source.length) + (envelope == null ? 0 : envelope.length);
        }
    }

    private record Entry(int revision, Map<String, Parts> byEventKey, int weight) {}

    private final Cache<Long, Entry> entries;
    private final EventJson json;
    private final Counter fromMemory;
    private final Counter fromLog;
    private final boolean publishing;

    PublishedSources(
            EventJson json,
            MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrap) {
        this.json = json;
        // Without Kafka (the dev default) nothing is published: nothing to keep.
        this.publishing = bootstrap.filter(s -> !s.isBlank()).isPresent();
        // A sixteenth of the heap at most (64 MiB of a 1 GiB heap): seconds of traffic at thousands per second.
        long budget = Math.max(1 << 20, Runtime.getRuntime().maxMemory() / 16);
        this.entries = Caffeine.newBuilder()
                .maximumWeight(budget)
                .weigher((Long id, Entry e) -> e.weight())
                .build();
        this.fromMemory = Counter.builder("xwr.outbox.sources")
                .tag("from", "memory")
                .description("Deliveries whose events the relay published from what the projection had just read")
                .register(registry);
        this.fromLog = Counter.builder("xwr.outbox.sources")
                .tag("from", "log")
                .description("Deliveries whose bodies the relay read and normalized again to publish their events")
                .register(registry);
    }

    /** Keeps the events' objects of a delivery the projection read at {@code revision}. */
    public void offer(long deliveryId, int revision, Normalization normalization) {
        if (publishing) {
            entries.put(deliveryId, entry(revision, normalization));
        }
    }

    /** The objects of a delivery read at {@code revision}, once; null when not held or held from another revision. */
    Map<String, Parts> take(long deliveryId, int revision) {
        Entry entry = entries.asMap().remove(deliveryId);
        if (entry == null || entry.revision() != revision) {
            return null;
        }
        fromMemory.increment();
        return entry.byEventKey();
    }

    /** The objects of a delivery the relay read from the log itself. */
    Map<String, Parts> read(Normalization normalization) {
        fromLog.increment();
        return entry(0, normalization).byEventKey();
    }

    private Entry entry(int revision, Normalization normalization) {
        Map<String, Parts> byKey = new HashMap<>();
        int weight = 128;
        for (ActivityEvent event : normalization.events()) {
            if (!byKey.containsKey(event.key().value())) {
                Parts parts = new Parts(
                        json.bytes(event.meta().source()),
                        json.bytes(event.meta().envelope()));
                byKey.put(event.key().value(), parts);
                weight += parts.weight() + event.key().value().length();
            }
        }
        return new Entry(revision, byKey, weight);
    }
}
