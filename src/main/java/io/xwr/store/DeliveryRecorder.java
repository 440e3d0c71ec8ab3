package io.xwr.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xwr.event.ActivityEvent;
import io.xwr.event.EventJson;
import io.xwr.event.EventKey;
import io.xwr.event.Normalization;
import io.xwr.signature.VerifiedDelivery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The one transaction of the ingest path: the raw delivery and every event it carries that is not yet stored
 * commit together, or nothing does. Only a committed delivery may be acknowledged to X.
 */
@ApplicationScoped
public class DeliveryRecorder {
    private final DeliveryRepository deliveries;
    private final EventRepository events;
    private final Outbox outbox;
    private final Event<EventsRecorded> recorded;
    private final EventJson eventJson;
    private final ObjectMapper mapper;
    private final Clock clock;

    DeliveryRecorder(
            DeliveryRepository deliveries,
            EventRepository events,
            Outbox outbox,
            Event<EventsRecorded> recorded,
            EventJson eventJson,
            ObjectMapper mapper,
            Clock clock) {
        this.deliveries = deliveries;
        this.events = events;
        this.outbox = outbox;
        this.recorded = recorded;
        this.eventJson = eventJson;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Transactional
    public Recorded record(VerifiedDelivery delivery, Normalization normalization) {
        DeliveryEntity row = new DeliveryEntity();
        row.receivedAt = delivery.receivedAt();
        row.body = delivery.body();
        row.bodySha256 = sha256Hex(delivery.body());
        row.headers = json(delivery.headers());
        row.secretFingerprint = delivery.secretFingerprint();
        row.family = normalization.family().name();
        row.parseStatus = normalization.status().name();
        row.parseProblem = Columns.clip(normalization.problem(), 500);
        row.eventCount = normalization.events().size();
        deliveries.persist(row);

        Instant now = clock.instant();
        List<EventKey> added = new ArrayList<>();
        for (ActivityEvent event : normalization.events()) {
            EventEntity eventRow = toRow(event, row.id, now);
            // Only a newly inserted event reaches Kafka: retries and replays add no outbox row.
            if (events.insertIfAbsent(eventRow)) {
                outbox.append(event, eventRow.payload, now);
                added.add(event.key());
            }
        }
        if (!added.isEmpty()) {
            recorded.fire(new EventsRecorded(added.size()));
        }
        return new Recorded(row.id, row.eventCount, added);
    }

    private EventEntity toRow(ActivityEvent event, long deliveryId, Instant now) {
        EventEntity e = new EventEntity();
        e.eventKey = event.key().value();
        e.deliveryId = deliveryId;
        e.family = event.family().name();
        e.eventType = Columns.clip(event.type(), 64);
        e.sourceType = Columns.clip(event.sourceType(), 128);
        e.accountId = Columns.clip(event.accountId(), 64);
        e.occurredAt = event.occurredAt();
        e.recordedAt = now;
        e.payload = eventJson.write(event);
        return e;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("headers not serializable", e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
