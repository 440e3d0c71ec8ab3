package io.xwr.projection;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.xwr.event.ActivityEvent;
import io.xwr.event.EventJson;
import io.xwr.store.Columns;
import io.xwr.store.MultiRowInsert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.Session;

/** Domain events, unique by key. */
@ApplicationScoped
class EventRepository implements PanacheRepository<EventEntity> {

    private static final MultiRowInsert<EventEntity> EVENTS = new MultiRowInsert<>(
            "activity_event",
            List.of(
                    "event_key",
                    "delivery_id",
                    "family",
                    "event_type",
                    "source_type",
                    "account_id",
                    "occurred_at",
                    "recorded_at",
                    "payload",
                    "post_id",
                    "origin_post_id",
                    "purged_at"),
            "ON CONFLICT DO NOTHING");

    /**
     * Inserts each event unless its key is already stored, with multi-row inserts; says per row whether it was the
     * first of its key. {@code ON CONFLICT DO NOTHING} (no target, so it runs on H2 too) makes a concurrent
     * duplicate wait for the first insert's commit and then do nothing, instead of failing the transaction the way
     * a caught unique violation would on PostgreSQL. Callers insert in key order, so concurrent batches take the
     * keys' locks in the same order.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean[] insertAllIfAbsent(List<EventEntity> rows) {
        boolean[] inserted = new boolean[rows.size()];
        if (rows.isEmpty()) {
            return inserted;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            if (EVENTS.execute(connection, rows, EventRepository::bind) == rows.size()) {
                Arrays.fill(inserted, true); // no key was there before: the common case, no second query
            } else {
                markWhatThisBatchInserted(connection, rows, inserted);
            }
        });
        return inserted;
    }

    /**
     * A statement's count says how many rows it inserted, not which: the stored row of each key names the delivery
     * that inserted it and when it was recorded, so a key whose row names this row's delivery and this
     * transaction's time was inserted by this batch (by its first row of that key). The time matters once a
     * delivery is projected again (a re-projection): its earlier rows name the same delivery.
     */
    private static void markWhatThisBatchInserted(Connection connection, List<EventEntity> rows, boolean[] inserted)
            throws SQLException {
        Map<String, String> insertedBy = new HashMap<>();
        Columns.selectIn(
                connection,
                "SELECT event_key, delivery_id, recorded_at FROM activity_event WHERE event_key IN",
                rows.stream().map(r -> r.eventKey).distinct().toList(),
                stored -> {
                    long delivery = stored.getLong(2);
                    boolean noDelivery = stored.wasNull(); // its delivery gone to retention
                    Instant recorded =
                            stored.getObject(3, java.time.OffsetDateTime.class).toInstant();
                    insertedBy.put(stored.getString(1), noDelivery ? null : insertion(delivery, recorded));
                });
        Set<String> claimed = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            EventEntity row = rows.get(i);
            inserted[i] = row.deliveryId != null
                    && insertion(row.deliveryId, row.recordedAt).equals(insertedBy.get(row.eventKey))
                    && claimed.add(row.eventKey);
        }
    }

    /**
     * Adds later matches' rules to stored filtered-stream posts (the union, {@link EventJson#withMoreRules}); rows
     * locked while merged, so two deliveries of the same post add both their rules. Purged rows stay as they are.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void addRules(Map<String, List<ActivityEvent.MatchingRule>> byKey, EventJson eventJson) {
        if (byKey.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                            "SELECT payload FROM activity_event WHERE event_key = ? AND purged_at IS NULL FOR UPDATE");
                    PreparedStatement update =
                            connection.prepareStatement("UPDATE activity_event SET payload = ? WHERE event_key = ?")) {
                // Rare (a post matched again through another link): one locked read per key, in key order.
                for (String key : new TreeSet<>(byKey.keySet())) {
                    select.setString(1, key);
                    String merged = null;
                    try (ResultSet row = select.executeQuery()) {
                        if (row.next()) {
                            merged = eventJson.withMoreRules(row.getString("payload"), byKey.get(key));
                        }
                    }
                    if (merged != null) {
                        update.setString(1, merged);
                        update.setString(2, key);
                        update.executeUpdate();
                    }
                }
            }
        });
    }

    /** Which delivery inserted a row, and when (to the microsecond the database keeps). */
    private static String insertion(long deliveryId, Instant recordedAt) {
        return deliveryId + "@" + recordedAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static void bind(PreparedStatement insert, int p, EventEntity e) throws SQLException {
        insert.setString(p, e.eventKey);
        insert.setObject(p + 1, e.deliveryId, Types.BIGINT);
        insert.setString(p + 2, e.family);
        insert.setString(p + 3, e.eventType);
        insert.setString(p + 4, e.sourceType);
        insert.setString(p + 5, e.accountId);
        insert.setObject(p + 6, Columns.offset(e.occurredAt));
        insert.setObject(p + 7, Columns.offset(e.recordedAt));
        insert.setString(p + 8, e.payload);
        insert.setString(p + 9, e.postId);
        insert.setString(p + 10, e.originPostId);
        insert.setObject(p + 11, Columns.offset(e.purgedAt));
    }
}
