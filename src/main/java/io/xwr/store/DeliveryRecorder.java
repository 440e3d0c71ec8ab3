package io.xwr.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xwr.event.ActivityEvent;
import io.xwr.event.Erasure;
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
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The one transaction of the ingest path: the raw delivery and every event it carries that is not yet stored
 * commit together, or nothing does. Only a committed delivery may be acknowledged to X.
 */
@ApplicationScoped
public class DeliveryRecorder {
    private final DeliveryRepository deliveries;
    private final EventRepository events;
    private final Outbox outbox;
    private final Purges purges;
    private final Event<EventsRecorded> recorded;
    private final EventJson eventJson;
    private final ObjectMapper mapper;
    private final Clock clock;

    DeliveryRecorder(
            DeliveryRepository deliveries,
            EventRepository events,
            Outbox outbox,
            Purges purges,
            Event<EventsRecorded> recorded,
            EventJson eventJson,
            ObjectMapper mapper,
            Clock clock) {
        this.deliveries = deliveries;
        this.events = events;
        this.outbox = outbox;
        this.purges = purges;
        this.recorded = recorded;
        this.eventJson = eventJson;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** One delivery to record: the verified bytes and what they mean. */
    public record Item(VerifiedDelivery delivery, Normalization normalization) {}

    @Transactional
    public Recorded record(VerifiedDelivery delivery, Normalization normalization) {
        return recordAll(List.of(new Item(delivery, normalization))).getFirst();
    }

    /**
     * Records several deliveries in one transaction (group commit): one commit, one fsync, for all of them.
     * Results are in the order of {@code items}. Event rows are inserted in key order, whatever the deliveries'
     * order, so two concurrent transactions carrying the same new keys wait for each other instead of
     * deadlocking; outbox rows still follow the deliveries' order, so each account's order holds.
     */
    @Transactional
    public List<Recorded> recordAll(List<Item> items) {
        Instant now = clock.instant();
        // Erasures first: a delete or revoke is durable with the delivery that announces it, and a tombstone at
        // once for whatever comes after it, in this batch or later (replays included).
        List<Purges.Request> erasures = new ArrayList<>();
        for (Item item : items) {
            for (ActivityEvent event : item.normalization().events()) {
                if (event.erasure() != null) {
                    erasures.add(new Purges.Request(event.erasure(), reasonFor(event.erasure())));
                }
            }
        }
        purges.requestAll(erasures, now);
        Set<String> posts = new LinkedHashSet<>();
        Set<String> accounts = new LinkedHashSet<>();
        for (Item item : items) {
            subjects(item.normalization().events(), posts, accounts);
        }
        Tombstones tombstones = purges.tombstones(posts, accounts);

        // Raw deliveries in one JDBC batch; their ids then go into the post links and event rows.
        List<DeliveryEntity> raw = new ArrayList<>(items.size());
        for (Item item : items) {
            raw.add(rawRow(item, tombstones, now));
        }
        deliveries.insertAll(raw);
        List<Pending> pending = new ArrayList<>(items.size());
        List<DeliveryRepository.PostLink> links = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            pending.add(eventRows(items.get(i), raw.get(i).id, tombstones, now, links));
        }
        deliveries.linkPosts(links);

        // Event rows in key order, whatever the deliveries' order, so two concurrent transactions carrying the
        // same new keys wait for each other instead of deadlocking; one JDBC batch.
        List<EventRow> all = new ArrayList<>();
        for (Pending p : pending) {
            all.addAll(p.events());
        }
        all.sort(Comparator.comparing(r -> r.row().eventKey));
        boolean[] inserted =
                events.insertAllIfAbsent(all.stream().map(EventRow::row).toList());
        for (int i = 0; i < inserted.length; i++) {
            all.get(i).inserted = inserted[i];
        }

        // Only a newly inserted event reaches Kafka (retries and replays add no outbox row), in the deliveries'
        // order, which keeps each account's order.
        List<Outbox.Append> appends = new ArrayList<>();
        List<Recorded> results = new ArrayList<>(items.size());
        for (Pending p : pending) {
            List<EventKey> keys = new ArrayList<>();
            for (EventRow r : p.events()) {
                if (r.inserted) {
                    appends.add(new Outbox.Append(r.event(), r.row().payload));
                    keys.add(r.event().key());
                }
            }
            results.add(new Recorded(p.deliveryId(), p.events().size(), keys));
        }
        outbox.appendAll(appends, now);
        if (!appends.isEmpty()) {
            recorded.fire(new EventsRecorded(appends.size()));
        }
        return results;
    }

    /** An event row waiting for its insert, and whether the insert was the first of its key. */
    private static final class EventRow {
        private final ActivityEvent event;
        private final EventEntity row;
        private boolean inserted;

        EventRow(ActivityEvent event, EventEntity row) {
            this.event = event;
            this.row = row;
        }

        ActivityEvent event() {
            return event;
        }

        EventEntity row() {
            return row;
        }
    }

    private record Pending(long deliveryId, List<EventRow> events) {}

    /** The posts whose content the events carry and the accounts they were delivered for; erasures carry none. */
    private static void subjects(List<ActivityEvent> events, Set<String> posts, Set<String> accounts) {
        for (ActivityEvent event : events) {
            if (event.erasure() == null) {
                addIfPresent(posts, Columns.clip(event.contentPostId(), 19));
                addIfPresent(accounts, Columns.clip(event.accountId(), 64));
            }
        }
    }

    /** The raw delivery row, not yet inserted: what is kept of content a purge covers is the purge marker. */
    private DeliveryEntity rawRow(Item item, Tombstones tombstones, Instant now) {
        VerifiedDelivery delivery = item.delivery();
        Normalization normalization = item.normalization();
        List<ActivityEvent> carried = normalization.events();
        Tombstones.Tombstone bodyPurge = carried.stream()
                .map(tombstones::covering)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        Set<String> posts = new LinkedHashSet<>();
        Set<String> accounts = new LinkedHashSet<>();
        subjects(carried, posts, accounts);

        DeliveryEntity row = new DeliveryEntity();
        row.receivedAt = delivery.receivedAt();
        // The signature was checked on the real bytes; the hash below still proves which bytes they were.
        row.body = bodyPurge == null ? delivery.body() : Purges.markerBytes(bodyPurge.purgeId(), bodyPurge.reason());
        row.purgedAt = bodyPurge == null ? null : now;
        row.accountId = accounts.isEmpty() ? null : accounts.iterator().next();
        row.bodySha256 = sha256Hex(delivery.body());
        row.headers = json(delivery.headers());
        row.secretFingerprint = delivery.secretFingerprint();
        row.family = normalization.family().name();
        row.parseStatus = normalization.status().name();
        row.parseProblem = Columns.clip(normalization.problem(), 500);
        row.eventCount = carried.size();
        return row;
    }

    /** The post links of a stored raw delivery, and its event rows, not yet inserted. */
    private Pending eventRows(
            Item item, long deliveryId, Tombstones tombstones, Instant now, List<DeliveryRepository.PostLink> links) {
        List<ActivityEvent> carried = item.normalization().events();
        Set<String> posts = new LinkedHashSet<>();
        subjects(carried, posts, new LinkedHashSet<>());
        for (String post : posts) {
            links.add(new DeliveryRepository.PostLink(deliveryId, post));
        }
        List<EventRow> rows = new ArrayList<>(carried.size());
        for (ActivityEvent event : carried) {
            rows.add(new EventRow(event, toRow(event, deliveryId, now, tombstones.covering(event))));
        }
        return new Pending(deliveryId, rows);
    }

    private static PurgeReason reasonFor(Erasure erasure) {
        return switch (erasure.kind()) {
            case POST -> PurgeReason.POST_DELETED;
            case USER -> PurgeReason.APP_REVOKED;
        };
    }

    private static void addIfPresent(Set<String> into, String value) {
        if (value != null && !value.isBlank()) {
            into.add(value);
        }
    }

    private EventEntity toRow(ActivityEvent event, long deliveryId, Instant now, Tombstones.Tombstone purge) {
        EventEntity e = new EventEntity();
        e.eventKey = Columns.clip(event.key().value(), EventKey.MAX_LENGTH);
        e.deliveryId = deliveryId;
        e.family = event.family().name();
        e.eventType = Columns.clip(event.type(), 64);
        e.sourceType = Columns.clip(event.sourceType(), 128);
        e.accountId = Columns.clip(event.accountId(), 64);
        e.occurredAt = event.occurredAt();
        e.recordedAt = now;
        e.payload = purge == null ? eventJson.write(event) : Purges.marker(purge.purgeId(), purge.reason());
        e.purgedAt = purge == null ? null : now;
        e.postId = event.erasure() == null ? Columns.clip(event.contentPostId(), 19) : null;
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
