package io.xwr.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.xwr.compliance.PurgeReason;
import io.xwr.compliance.Purges;
import io.xwr.compliance.Tombstones;
import io.xwr.event.ActivityEvent;
import io.xwr.event.Erasure;
import io.xwr.event.EventJson;
import io.xwr.event.EventKey;
import io.xwr.event.Normalization;
import io.xwr.event.PostContent;
import io.xwr.outbox.EventsRecorded;
import io.xwr.outbox.Outbox;
import io.xwr.rawlog.DeliveryRepository;
import io.xwr.store.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The projection's writes for deliveries already in the raw log: the events they carry that are not stored yet,
 * the purges they ask for, the links that let purges find them, and the outbox rows. Joins the projection's
 * transaction, which also moves its position: all of it commits together, or none of it does.
 */
@ApplicationScoped
public class EventRecorder {
    private final DeliveryRepository deliveries;
    private final EventRepository events;
    private final Outbox outbox;
    private final Purges purges;
    private final Event<EventsRecorded> recorded;
    private final EventJson eventJson;
    private final Clock clock;
    private final ObjectMapper mapper;

    EventRecorder(
            DeliveryRepository deliveries,
            EventRepository events,
            Outbox outbox,
            Purges purges,
            Event<EventsRecorded> recorded,
            EventJson eventJson,
            Clock clock,
            ObjectMapper mapper) {
        this.deliveries = deliveries;
        this.events = events;
        this.outbox = outbox;
        this.purges = purges;
        this.recorded = recorded;
        this.eventJson = eventJson;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** One stored delivery, its bytes (a purge may have to cut content out of them) and what it means. */
    public record Item(long deliveryId, Instant receivedAt, byte[] body, Normalization normalization) {}

    /**
     * Records the events of several deliveries, in log order. Results are in the order of {@code items}. Event
     * rows are inserted in key order, whatever the deliveries' order, so two transactions carrying the same new
     * keys (a re-projection beside the projection) wait for each other instead of deadlocking; outbox rows follow
     * the deliveries' order, so each account's order holds.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Recorded> recordAll(List<Item> items) {
        // To the microsecond the databases keep: the stored time then tells this transaction's rows from older ones.
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        // Erasures first: a delete or revoke is durable with the delivery that announces it, and a tombstone at
        // once for whatever comes after it, in this batch or later (replays included).
        List<Purges.Request> erasures = new ArrayList<>();
        for (Item item : items) {
            for (ActivityEvent event : item.normalization().events()) {
                if (event.erasure() != null) {
                    erasures.add(new Purges.Request(event.erasure(), reasonFor(event.erasure()), event.occurredAt()));
                }
            }
        }
        purges.requestAll(erasures, now);
        // Each delivery's posts and accounts, found once: for the tombstones, the body, and the links.
        List<Subjects> subjects = new ArrayList<>(items.size());
        Set<String> posts = new LinkedHashSet<>();
        Set<String> accounts = new LinkedHashSet<>();
        for (Item item : items) {
            Subjects found = Subjects.of(item.normalization());
            subjects.add(found);
            posts.addAll(found.posts());
            accounts.addAll(found.accounts());
        }
        Tombstones tombstones = purges.tombstones(posts, accounts);

        // Content a purge covers is stored purged, here as everywhere else: a revoking user's delivery whole, a
        // deleted post wherever it sits in a body (its own event, a quote, a repost, includes).
        List<DeliveryRepository.BodyPurge> bodyPurges = new ArrayList<>();
        List<Pending> pending = new ArrayList<>(items.size());
        List<DeliveryRepository.PostLink> links = new ArrayList<>();
        List<DeliveryRepository.AccountLink> accountLinks = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            bodyPurge(item, subjects.get(i), tombstones).ifPresent(bodyPurges::add);
            pending.add(eventRows(item, subjects.get(i), tombstones, now, links, accountLinks));
        }
        deliveries.purgeBodies(bodyPurges, now);
        deliveries.linkPosts(links);
        deliveries.linkAccounts(accountLinks);

        // Event rows in key order, whatever the deliveries' order, so two concurrent transactions carrying the
        // same new keys wait for each other instead of deadlocking; one JDBC batch.
        List<EventRow> all = new ArrayList<>();
        for (Pending p : pending) {
            all.addAll(p.events());
        }
        all.sort(Comparator.comparing(r -> r.row().eventKey));
        boolean[] inserted =
                events.insertAllIfAbsent(all.stream().map(EventRow::row).toList());
        Map<String, List<ActivityEvent.MatchingRule>> moreRules = new TreeMap<>();
        for (int i = 0; i < inserted.length; i++) {
            all.get(i).inserted = inserted[i];
            if (!inserted[i] && all.get(i).event() instanceof ActivityEvent.StreamPostMatched matched) {
                moreRules
                        .computeIfAbsent(all.get(i).row().eventKey, k -> new ArrayList<>())
                        .addAll(matched.rules());
            }
        }
        // A post matched again (another link, other rules) adds its rules to the stored event: no second event.
        events.addRules(moreRules, eventJson);

        // Only a newly inserted event reaches Kafka (retries and replays add no outbox row), in the deliveries'
        // order, which keeps each account's order.
        List<Outbox.Append> appends = new ArrayList<>();
        List<Recorded> results = new ArrayList<>(items.size());
        for (Pending p : pending) {
            List<ActivityEvent> fresh = new ArrayList<>();
            for (EventRow r : p.events()) {
                if (r.inserted) {
                    appends.add(new Outbox.Append(r.event(), p.receivedAt()));
                    fresh.add(r.event());
                }
            }
            results.add(new Recorded(p.deliveryId(), p.events().size(), fresh));
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

    private record Pending(long deliveryId, Instant receivedAt, List<EventRow> events) {}

    /**
     * The posts whose content a delivery carries (its events' own, those inside them) and the accounts its events
     * were delivered for; an erasure announcement carries no content and names no account of its own.
     */
    private record Subjects(Set<String> posts, Set<String> accounts) {
        static Subjects of(Normalization normalization) {
            Set<String> posts = new LinkedHashSet<>();
            Set<String> accounts = new LinkedHashSet<>();
            for (ActivityEvent event : normalization.events()) {
                if (event.erasure() == null) {
                    addIfPresent(posts, Columns.clip(event.contentPostId(), 19));
                    addIfPresent(posts, Columns.clip(event.originPostId(), 19));
                    addIfPresent(accounts, Columns.clip(event.accountId(), 64));
                }
            }
            for (String post : normalization.contentPosts()) {
                addIfPresent(posts, Columns.clip(post, 19));
            }
            return new Subjects(posts, accounts);
        }
    }

    /**
     * What a purge already recorded leaves of this delivery's body: only the marker when a revoking user's purge
     * covers one of its events; the posts' objects cut out when deleted posts are in it; nothing to do otherwise.
     */
    private Optional<DeliveryRepository.BodyPurge> bodyPurge(Item item, Subjects subjects, Tombstones tombstones) {
        for (ActivityEvent event : item.normalization().events()) {
            Tombstones.Tombstone t = tombstones.covering(event);
            if (t != null && t.kind() == Erasure.Kind.USER) {
                return Optional.of(new DeliveryRepository.BodyPurge(
                        item.deliveryId(), Purges.markerBytes(t.purgeId(), t.reason()), true));
            }
        }
        byte[] body = item.body();
        boolean changed = false;
        for (Tombstones.Tombstone t : tombstones.posts(subjects.posts())) {
            byte[] redacted = t.kind() == Erasure.Kind.GEO
                    ? PostContent.scrubGeo(mapper, body, Set.of(t.subjectId()))
                    : PostContent.redact(
                            mapper, body, Set.of(t.subjectId()), Purges.markerNode(t.purgeId(), t.reason()));
            if (redacted != null) {
                body = redacted;
                changed = true;
            }
        }
        return changed
                ? Optional.of(new DeliveryRepository.BodyPurge(item.deliveryId(), body, false))
                : Optional.empty();
    }

    /** The post and account links of a stored raw delivery, and its event rows, not yet inserted. */
    private Pending eventRows(
            Item item,
            Subjects subjects,
            Tombstones tombstones,
            Instant now,
            List<DeliveryRepository.PostLink> links,
            List<DeliveryRepository.AccountLink> accountLinks) {
        long deliveryId = item.deliveryId();
        List<ActivityEvent> carried = item.normalization().events();
        for (String post : subjects.posts()) {
            links.add(new DeliveryRepository.PostLink(deliveryId, item.receivedAt(), post));
        }
        for (String account : subjects.accounts()) {
            accountLinks.add(new DeliveryRepository.AccountLink(deliveryId, item.receivedAt(), account));
        }
        List<EventRow> rows = new ArrayList<>(carried.size());
        for (ActivityEvent event : carried) {
            rows.add(new EventRow(event, toRow(event, deliveryId, now, tombstones.covering(event))));
        }
        return new Pending(deliveryId, item.receivedAt(), rows);
    }

    private static PurgeReason reasonFor(Erasure erasure) {
        return switch (erasure.kind()) {
            case POST -> PurgeReason.POST_DELETED;
            case USER -> PurgeReason.APP_REVOKED;
            case GEO -> PurgeReason.X_COMPLIANCE; // no event asks for it: only X's batch compliance does
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
        e.originPostId = event.erasure() == null ? Columns.clip(event.originPostId(), 19) : null;
        return e;
    }
}
