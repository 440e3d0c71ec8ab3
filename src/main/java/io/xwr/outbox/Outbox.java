package io.xwr.outbox;

import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.xwr.config.OutboxConfig;
import io.xwr.event.ActivityEvent;
import io.xwr.store.Columns;
import io.xwr.store.MultiRowInsert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.Session;

/**
 * The transactional outbox: rows appended in the recording transaction, drained by the relay. A lane is
 * worked on only under its row lock ({@code FOR UPDATE SKIP LOCKED}), which works on PostgreSQL and H2 alike,
 * so replicas never send a lane's rows twice or out of order. One drain takes every lane it can lock, so a
 * single Kafka transaction carries the work of many accounts.
 */
@ApplicationScoped
public class Outbox {
    /** Lanes seeded by V2__outbox.sql; an account always hashes to the same lane. */
    public static final int LANES = 32;

    private final EntityManager em;
    private final OutboxConfig config;
    private final PublishedPayloads payloads;

    Outbox(EntityManager em, OutboxConfig config, PublishedPayloads payloads) {
        this.em = em;
        this.config = config;
        this.payloads = payloads;
    }

    /**
     * The outcome of one drain and how many messages it published; {@code retriable} tells a failure caused by
     * Kafka being unavailable (every lane would fail alike) from one caused by a row, whose lane is {@code
     * failedLane}.
     */
    public record Drain(DrainResult result, int published, boolean retriable, String error, int failedLane) {
        Drain(DrainResult result, int published) {
            this(result, published, false, null, -1);
        }
    }

    private static final MultiRowInsert<Append> INSERT = new MultiRowInsert<>(
            "outbox",
            List.of(
                    "lane",
                    "event_key",
                    "topic",
                    "message_key",
                    "event_type",
                    "ce_time",
                    "ce_subject",
                    "created_at",
                    "received_at"),
            "");

    /**
     * An event to publish; its data is rendered when it is published (content is stored once) from its delivery,
     * received at {@code receivedAt} (which finds the delivery's partition).
     */
    public record Append(ActivityEvent event, Instant receivedAt) {}

    /**
     * Appends the rows with multi-row inserts, in the given order, which is each account's order: a statement
     * draws its rows' ids in the order of its rows, and the relay publishes a lane in id order.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(List<Append> rows, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        em.unwrap(Session.class)
                .doWork(connection ->
                        INSERT.execute(connection, rows, (statement, p, row) -> bind(statement, p, row, now)));
    }

    private void bind(PreparedStatement insert, int p, Append row, Instant now) throws java.sql.SQLException {
        ActivityEvent event = row.event();
        String messageKey = Columns.clip(
                event.accountId() != null ? event.accountId() : event.key().value(), 512);
        insert.setInt(p, Math.floorMod(messageKey.hashCode(), LANES));
        insert.setString(p + 1, Columns.clip(event.key().value(), 512));
        insert.setString(p + 2, topicFor(event));
        insert.setString(p + 3, messageKey);
        insert.setString(p + 4, Columns.clip(event.type(), 128));
        insert.setObject(p + 5, Columns.offset(event.occurredAt() != null ? event.occurredAt() : now));
        insert.setString(p + 6, Columns.clip(event.accountId(), 64));
        insert.setObject(p + 7, Columns.offset(now));
        insert.setObject(p + 8, Columns.offset(row.receivedAt()));
    }

    private String topicFor(ActivityEvent event) {
        return config.familyTopics().getOrDefault(event.family().name().toLowerCase(Locale.ROOT), config.topic());
    }

    /** Lanes that hold unparked rows: one cheap query instead of visiting every lane when idle. */
    @Transactional
    public List<Integer> lanesWithWork() {
        return em.createNativeQuery("SELECT DISTINCT lane FROM outbox WHERE parked_at IS NULL", Integer.class)
                .getResultList();
    }

    /** {@link #drainLanes(Collection, OutboxPublisher, Instant, Collection)} with nothing already published. */
    public Drain drainLanes(Collection<Integer> lanes, OutboxPublisher publisher, Instant now) {
        return drainLanes(lanes, publisher, now, List.of());
    }

    /**
     * Publishes the oldest unparked rows of the given lanes that no other relay holds, as one batch, and
     * deletes them, in one database transaction that holds the lane locks while Kafka is written. The batch is
     * a prefix in id order, so it is a prefix of each lane too. If the publisher fails, nothing is deleted; the
     * first failing row counts a non-retriable attempt and is parked after {@code maxAttempts}. Rows in {@code
     * alreadyPublished} reached Kafka in a drain whose delete never committed (the database went away after the
     * Kafka commit): they are deleted first, never sent again.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    @TransactionConfiguration(timeout = 300)
    public Drain drainLanes(
            Collection<Integer> lanes, OutboxPublisher publisher, Instant now, Collection<Long> alreadyPublished) {
        if (!alreadyPublished.isEmpty()) {
            em.createNativeQuery("DELETE FROM outbox WHERE id IN (:ids)")
                    .setParameter("ids", alreadyPublished)
                    .executeUpdate();
        }
        if (lanes.isEmpty()) {
            return new Drain(DrainResult.EMPTY, 0);
        }
        List<Integer> locked = em.createNativeQuery(
                        "SELECT lane FROM outbox_lane WHERE lane IN (:lanes) ORDER BY lane FOR UPDATE SKIP LOCKED",
                        Integer.class)
                .setParameter("lanes", lanes)
                .getResultList();
        if (locked.isEmpty()) {
            return new Drain(DrainResult.BUSY, 0);
        }
        List<OutboxMessage> batch = batch(locked);
        if (batch.isEmpty()) {
            return new Drain(DrainResult.EMPTY, 0);
        }
        return switch (publisher.publish(batch)) {
            case PublishOutcome.Published published -> {
                // By id, not by range: a row whose recording transaction commits late can carry a lower id
                // than rows already published, and must wait for the next drain rather than be deleted unsent.
                em.createNativeQuery("DELETE FROM outbox WHERE id IN (:ids)")
                        .setParameter(
                                "ids", batch.stream().map(OutboxMessage::id).toList())
                        .executeUpdate();
                yield new Drain(DrainResult.PUBLISHED, batch.size());
            }
            case PublishOutcome.Failed failed -> {
                OutboxMessage culprit = batch.get(Math.max(0, Math.min(failed.index(), batch.size() - 1)));
                recordFailure(culprit, failed, now);
                yield new Drain(DrainResult.FAILED, 0, failed.retriable(), failed.error(), culprit.lane());
            }
        };
    }

    /**
     * The oldest rows of the lanes, with their data rendered now from the event and its raw delivery (rows
     * written before content was stored once carry their own payload).
     */
    private List<OutboxMessage> batch(List<Integer> lanes) {
        List<OutboxMessage> rows = new ArrayList<>();
        List<PublishedPayloads.Stored> toRender = new ArrayList<>();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("""
                    SELECT o.id, o.event_key, o.topic, o.message_key, o.event_type, o.ce_time, o.ce_subject,
                      o.payload AS own_payload, o.created_at, o.attempts, o.lane, o.received_at,
                      e.payload AS event_payload, e.purged_at AS event_purged_at, e.delivery_id
                    FROM outbox o LEFT JOIN activity_event e ON e.event_key = o.event_key
                    WHERE o.parked_at IS NULL AND o.lane IN (%s) ORDER BY o.id FETCH FIRST %d ROWS ONLY
                    """.formatted(Columns.marks(lanes.size()), config.batchSize()))) {
                for (int i = 0; i < lanes.size(); i++) {
                    select.setInt(i + 1, lanes.get(i));
                }
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        String own = r.getString("own_payload");
                        String eventKey = r.getString("event_key");
                        rows.add(new OutboxMessage(
                                r.getLong("id"),
                                eventKey,
                                r.getString("topic"),
                                r.getString("message_key"),
                                r.getString("event_type"),
                                Columns.instant(r, "ce_time"),
                                r.getString("ce_subject"),
                                own == null ? null : own.getBytes(StandardCharsets.UTF_8),
                                Columns.instant(r, "created_at"),
                                r.getInt("attempts"),
                                r.getInt("lane"),
                                null));
                        if (own == null) {
                            long deliveryId = r.getLong("delivery_id");
                            Long delivery = r.wasNull() ? null : deliveryId;
                            toRender.add(new PublishedPayloads.Stored(
                                    eventKey,
                                    r.getString("event_payload"),
                                    r.getObject("event_purged_at") != null,
                                    delivery,
                                    Columns.instant(r, "received_at")));
                        }
                    }
                }
            }
        });
        Map<String, PublishedPayloads.Rendered> rendered = payloads.render(toRender);
        return rows.stream()
                .map(m -> {
                    PublishedPayloads.Rendered now = m.data() != null ? null : rendered.get(m.eventKey());
                    return now == null ? m : m.rendered(now.payload(), now.traceparent());
                })
                .toList();
    }

    private void recordFailure(OutboxMessage message, PublishOutcome.Failed failed, Instant now) {
        // Kafka being away is not the row's fault: only non-retriable failures count toward parking.
        int attempts = failed.retriable() ? message.attempts() : message.attempts() + 1;
        boolean park = attempts >= config.maxAttempts();
        em.unwrap(Session.class)
                .createNativeMutationQuery(
                        "UPDATE outbox SET attempts = :attempts, last_error = :error, parked_at = :parked WHERE id = :id")
                .setParameter("attempts", attempts)
                .setParameter("error", Columns.clip(failed.error(), 500), String.class)
                .setParameter("parked", park ? now : null, Instant.class)
                .setParameter("id", message.id())
                .executeUpdate();
    }

    /**
     * Read every 2 s by the monitor, so its cost must not grow with a backlog (a Kafka outage is exactly when the
     * outbox grows): waiting rows are counted up to {@link OutboxStats#COUNT_CAP} and the oldest is found by id,
     * through the primary key, instead of scanning the table. Ids are drawn as rows are written, so the lowest
     * waiting id is the oldest row to within one batch's clock.
     */
    @Transactional
    public OutboxStats stats() {
        Object[] row = (Object[])
                em.createNativeQuery("""
                        SELECT
                          (SELECT count(*) FROM (SELECT 1 FROM outbox WHERE parked_at IS NULL LIMIT %d) AS waiting),
                          (SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL),
                          (SELECT created_at FROM outbox WHERE parked_at IS NULL ORDER BY id LIMIT 1)
                        """.formatted(OutboxStats.COUNT_CAP)).getSingleResult();
        return new OutboxStats(((Number) row[0]).longValue(), ((Number) row[1]).longValue(), Columns.instant(row[2]));
    }

    @Transactional
    public List<ParkedMessage> parked(int limit) {
        List<Object[]> rows =
                em.createNativeQuery("""
                        SELECT id, event_key, topic, event_type, attempts, last_error, parked_at
                        FROM outbox WHERE parked_at IS NOT NULL ORDER BY id
                        """, Object[].class).setMaxResults(limit).getResultList();
        return rows.stream()
                .map(r -> new ParkedMessage(
                        ((Number) r[0]).longValue(),
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        ((Number) r[4]).intValue(),
                        (String) r[5],
                        Columns.instant(r[6])))
                .toList();
    }

    /** Puts a parked row back in its lane with a fresh attempt count; false if no such parked row. */
    @Transactional
    public boolean release(long id) {
        return em.createNativeQuery(
                                "UPDATE outbox SET parked_at = NULL, attempts = 0 WHERE id = ?1 AND parked_at IS NOT NULL")
                        .setParameter(1, id)
                        .executeUpdate()
                == 1;
    }
}
