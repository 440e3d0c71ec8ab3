package io.xwr.compliance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.xwr.event.Erasure;
import io.xwr.event.PostContent;
import io.xwr.store.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.hibernate.Session;
import org.hibernate.query.MutationQuery;

/**
 * Purges under X's data rules, and their audit. A purge replaces stored content (raw bodies, event payloads,
 * waiting outbox payloads) with a marker naming the purge; ids, keys, types and times stay, so the purge can be
 * proved. Its row is also the tombstone that keeps a later delivery of the same content from restoring it.
 */
@ApplicationScoped
public class Purges {
    private static final String COLUMNS = "id, kind, subject_id, reason, note, requested_at, done_at, "
            + "events_purged, deliveries_purged, outbox_purged";

    /** Every purge kind: each is a tombstone (the kind leads the subject index). */
    private static final List<String> KINDS =
            Arrays.stream(Erasure.Kind.values()).map(Enum::name).toList();

    private final EntityManager em;
    private final ObjectMapper mapper;

    Purges(EntityManager em, ObjectMapper mapper) {
        this.em = em;
        this.mapper = mapper;
    }

    /** The JSON that takes the place of purged content. */
    public static String marker(long purgeId, PurgeReason reason) {
        return "{\"purged\":{\"purgeId\":" + purgeId + ",\"reason\":\"" + reason + "\"}}";
    }

    public static byte[] markerBytes(long purgeId, PurgeReason reason) {
        return marker(purgeId, reason).getBytes(StandardCharsets.UTF_8);
    }

    /** The marker as the fields that take a purged post's place inside a body ({@link PostContent#redact}). */
    public static ObjectNode markerNode(long purgeId, PurgeReason reason) {
        ObjectNode marker = JsonNodeFactory.instance.objectNode();
        marker.putObject("purged").put("purgeId", purgeId).put("reason", reason.name());
        return marker;
    }

    /**
     * A purge a delivery asks for: what to erase, why, and when X says it happened (null when X does not say).
     */
    public record Request(Erasure erasure, PurgeReason reason, Instant at) {}

    /**
     * Records purges to run, in one JDBC batch. A post is purged once: the same delete delivered to several
     * accounts, in this batch or before, or replayed, is not recorded again. A user is purged at every revocation
     * no purge requested since covers: one who re-authorizes and revokes again loses what was delivered in between,
     * while a replay of the first revocation adds nothing. Joins the caller's transaction: the delivery that asks
     * is the durable request.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void requestAll(List<Request> requests, Instant now) {
        if (requests.isEmpty()) {
            return;
        }
        session().doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO purge (kind, subject_id, reason, requested_at)
                    SELECT ?, ?, ?, ? FROM (VALUES (1)) AS one (x)
                    WHERE NOT EXISTS (SELECT 1 FROM purge WHERE kind = ? AND subject_id = ? AND reason = ?
                        AND requested_at >= ?)
                    """)) {
                for (Request r : requests) {
                    String kind = r.erasure().kind().name();
                    String subject = Columns.clip(r.erasure().subjectId(), 64);
                    insert.setString(1, kind);
                    insert.setString(2, subject);
                    insert.setString(3, r.reason().name());
                    insert.setObject(4, Columns.offset(now));
                    insert.setString(5, kind);
                    insert.setString(6, subject);
                    insert.setString(7, r.reason().name());
                    // A purge requested at or after the revocation covers it; any purge of the post covers a delete.
                    Instant covered =
                            r.erasure().kind() == Erasure.Kind.USER && r.at() != null ? r.at() : Instant.EPOCH;
                    insert.setObject(8, Columns.offset(covered));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    /** An operator's purge (e.g. for X's own deletion request): always recorded, with the operator's reason. */
    @Transactional
    public long requestByOperator(Erasure erasure, String note, Instant now) {
        return request(erasure, PurgeReason.REQUESTED, note, now);
    }

    /** A purge asked for with a note saying who asked and why (an operator, X's batch compliance). */
    @Transactional
    public long request(Erasure erasure, PurgeReason reason, String note, Instant now) {
        PurgeEntity row = new PurgeEntity();
        row.kind = erasure.kind().name();
        row.subjectId = Columns.clip(erasure.subjectId(), 64);
        row.reason = reason.name();
        row.note = Columns.clip(note, 500);
        row.requestedAt = now;
        em.persist(row);
        em.flush();
        return row.id;
    }

    /**
     * Purges (done or not) of any of these posts or users: what a new delivery must not bring back. Runs once per
     * group-commit batch, so it is plain JDBC, not a Hibernate native query.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Tombstones tombstones(Collection<String> posts, Collection<String> users) {
        if (posts.isEmpty() && users.isEmpty()) {
            return Tombstones.NONE;
        }
        Set<String> postIds = Set.copyOf(posts);
        Set<String> userIds = Set.copyOf(users);
        Set<String> distinct = new LinkedHashSet<>(posts);
        distinct.addAll(users);
        List<String> subjects = List.copyOf(distinct);
        List<Tombstones.Tombstone> found = new ArrayList<>();
        session()
                .doWork(connection -> Columns.selectIn(
                        connection,
                        "SELECT id, kind, subject_id, reason, requested_at FROM purge WHERE kind IN ("
                                + Columns.marks(KINDS.size()) + ") AND subject_id IN",
                        KINDS,
                        subjects,
                        row -> {
                            Erasure.Kind kind = Erasure.Kind.valueOf(row.getString("kind"));
                            String subject = row.getString("subject_id");
                            // One list for both kinds: a post id that happens to equal a user id matches only its own.
                            if ((kind == Erasure.Kind.USER ? userIds : postIds).contains(subject)) {
                                found.add(new Tombstones.Tombstone(
                                        row.getLong("id"),
                                        kind,
                                        subject,
                                        PurgeReason.valueOf(row.getString("reason")),
                                        row.getObject("requested_at", OffsetDateTime.class)
                                                .toInstant()));
                            }
                        }));
        return new Tombstones(found);
    }

    @Transactional
    public List<StoredPurge> pending(int limit) {
        return list("SELECT " + COLUMNS + " FROM purge WHERE done_at IS NULL ORDER BY id", null, limit);
    }

    @Transactional
    public List<StoredPurge> recent(int limit) {
        return list("SELECT " + COLUMNS + " FROM purge ORDER BY id DESC", null, limit);
    }

    @Transactional
    public Optional<StoredPurge> find(long id) {
        return list("SELECT " + COLUMNS + " FROM purge WHERE id = ?1", id, 1).stream()
                .findFirst();
    }

    /**
     * Carries out one purge in batches of {@code batch} rows, each batch its own short transaction (a user with
     * a million events must not hold locks for minutes, and a crash resumes where it stopped: only unpurged rows
     * are touched). Purges run on the lease holder; should a second runner overlap (a lease handed over mid-pass),
     * SKIP LOCKED lets each take rows the other has not locked instead of deadlocking, and every row is emptied
     * once between them.
     */
    public StoredPurge execute(StoredPurge purge, int batch, Instant now) {
        String marker = marker(purge.id(), purge.reason());
        byte[] markerBytes = markerBytes(purge.id(), purge.reason());
        String events;
        String outbox;
        if (purge.kind() == Erasure.Kind.GEO) {
            // Events and outbox rows hold no geo data (sources are read from the raw delivery): bodies only.
            int scrubbed =
                    rewriteLinked(purge, batch, body -> PostContent.scrubGeo(mapper, body, Set.of(purge.subjectId())));
            return finish(purge, now, 0, scrubbed, 0);
        }
        if (purge.kind() == Erasure.Kind.POST) {
            events = "(post_id = :subject OR origin_post_id = :subject)";
            outbox = "event_key IN (SELECT event_key FROM activity_event WHERE post_id = :subject"
                    + " OR origin_post_id = :subject)";
        } else {
            // What the user had delivered until the revocation; events after a later re-authorization stay.
            events = "account_id = :subject AND event_type NOT IN (:erasing)"
                    + " AND (occurred_at IS NULL OR occurred_at <= :until) AND recorded_at <= :until";
            outbox = "event_key IN (SELECT event_key FROM activity_event WHERE account_id = :subject AND event_type"
                    + " NOT IN (:erasing) AND recorded_at <= :until)";
        }
        Instant until = purge.requestedAt();
        int eventCount = batches(
                "UPDATE activity_event SET payload = :marker, purged_at = :now WHERE id IN (SELECT id FROM"
                        + " activity_event WHERE purged_at IS NULL AND " + events + " ORDER BY id LIMIT " + batch
                        + " FOR UPDATE SKIP LOCKED)",
                purge,
                marker,
                until,
                now);
        ObjectNode cut = markerNode(purge.id(), purge.reason());
        int deliveryCount = purge.kind() == Erasure.Kind.POST
                ? rewriteLinked(purge, batch, body -> PostContent.redact(mapper, body, Set.of(purge.subjectId()), cut))
                : batches(
                        "UPDATE raw_delivery SET body = :marker, purged_at = :now, body_revision = body_revision + 1"
                                + " WHERE id IN (SELECT id FROM"
                                + " raw_delivery WHERE purged_at IS NULL AND id IN (SELECT delivery_id FROM"
                                + " delivery_account WHERE account_id = :subject) AND received_at <= :until"
                                + " ORDER BY id LIMIT " + batch + " FOR UPDATE SKIP LOCKED)",
                        purge,
                        markerBytes,
                        until,
                        now);
        if (purge.kind() == Erasure.Kind.USER) {
            // A revoking user's tokens go too (X stops honouring them); a connection made after the revocation stays.
            QuarkusTransaction.requiringNew().run(() -> bind(
                            "DELETE FROM x_account WHERE user_id = :subject AND connected_at <= :until",
                            purge,
                            null,
                            until,
                            null)
                    .executeUpdate());
        }
        // Waiting rows only (published rows are gone), and only those written before content was stored once: the
        // rest carry no payload (their partial index keeps this from scanning the outbox). The marker can be
        // written again, so count what differs.
        int outboxCount = QuarkusTransaction.requiringNew().call(() -> bind(
                        "UPDATE outbox SET payload = :marker WHERE payload IS NOT NULL AND payload <> :marker AND "
                                + outbox,
                        purge,
                        marker,
                        until,
                        null)
                .executeUpdate());
        return finish(purge, now, eventCount, deliveryCount, outboxCount);
    }

    private StoredPurge finish(StoredPurge purge, Instant now, int eventCount, int deliveryCount, int outboxCount) {
        QuarkusTransaction.requiringNew().run(() -> session()
                .createNativeMutationQuery("""
                        UPDATE purge SET done_at = :now, events_purged = :events, deliveries_purged = :deliveries,
                            outbox_purged = :outbox
                        WHERE id = :id
                        """)
                .setParameter("now", now, Instant.class)
                .setParameter("events", eventCount)
                .setParameter("deliveries", deliveryCount)
                .setParameter("outbox", outboxCount)
                .setParameter("id", purge.id())
                .executeUpdate());
        return new StoredPurge(
                purge.id(),
                purge.kind(),
                purge.subjectId(),
                purge.reason(),
                purge.note(),
                purge.requestedAt(),
                now,
                eventCount,
                deliveryCount,
                outboxCount);
    }

    /**
     * Rewrites every delivery that carries the post (as an event's post, or inside another: a quote, a repost, a
     * like, includes): a deleted post's objects are cut out (replaced by the marker and its id), a scrubbed post
     * loses its geo data; the rest of each body stays readable for the deliveries' other events. Walks the linked
     * deliveries in id order, a batch per transaction; a rewrite run again finds nothing to change, so a pass cut
     * short is simply run again. {@code rewrite} answers null when a body needs no change.
     */
    private int rewriteLinked(StoredPurge purge, int batch, UnaryOperator<byte[]> rewrite) {
        int changed = 0;
        long after = 0;
        while (true) {
            long from = after;
            long[] step = QuarkusTransaction.requiringNew().call(() -> session().doReturningWork(connection -> {
                List<Long> ids = new ArrayList<>();
                List<byte[]> bodies = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement("""
                        SELECT id, body FROM raw_delivery
                        WHERE id IN (SELECT delivery_id FROM delivery_post WHERE post_id = ?) AND id > ?
                        ORDER BY id FETCH FIRST %d ROWS ONLY FOR UPDATE
                        """.formatted(batch))) {
                    select.setString(1, purge.subjectId());
                    select.setLong(2, from);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            ids.add(rows.getLong("id"));
                            bodies.add(rows.getBytes("body"));
                        }
                    }
                }
                long cut = 0;
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE raw_delivery SET body = ?, body_revision = body_revision + 1 WHERE id = ?")) {
                    for (int i = 0; i < ids.size(); i++) {
                        byte[] redacted = rewrite.apply(bodies.get(i));
                        if (redacted != null) {
                            Columns.bytes(update, 1, redacted);
                            update.setLong(2, ids.get(i));
                            update.addBatch();
                            cut++;
                        }
                    }
                    if (cut > 0) {
                        update.executeBatch();
                    }
                }
                return new long[] {ids.isEmpty() ? -1 : ids.getLast(), cut};
            }));
            if (step[0] < 0) {
                return changed;
            }
            changed += (int) step[1];
            after = step[0];
        }
    }

    private int batches(String sql, StoredPurge purge, Object marker, Instant until, Instant now) {
        int total = 0;
        while (true) {
            int n = QuarkusTransaction.requiringNew()
                    .call(() -> bind(sql, purge, marker, until, now).executeUpdate());
            total += n;
            if (n == 0) {
                return total;
            }
        }
    }

    private MutationQuery bind(String sql, StoredPurge purge, Object marker, Instant until, Instant now) {
        MutationQuery query = session().createNativeMutationQuery(sql);
        query.setParameter("subject", purge.subjectId());
        if (sql.contains(":marker")) {
            query.setParameter("marker", marker);
        }
        if (sql.contains(":erasing")) { // the domain says which types erase, not this SQL
            query.setParameterList("erasing", Erasure.EVENT_TYPES);
        }
        if (sql.contains(":until")) {
            query.setParameter("until", until, Instant.class);
        }
        if (now != null) {
            query.setParameter("now", now, Instant.class);
        }
        return query;
    }

    private List<StoredPurge> list(String sql, Object param, int limit) {
        return Columns.rows(em, sql, param, limit).stream()
                .map(r -> new StoredPurge(
                        ((Number) r[0]).longValue(),
                        Erasure.Kind.valueOf((String) r[1]),
                        (String) r[2],
                        PurgeReason.valueOf((String) r[3]),
                        (String) r[4],
                        Columns.instant(r[5]),
                        Columns.instant(r[6]),
                        r[7] == null ? null : ((Number) r[7]).intValue(),
                        r[8] == null ? null : ((Number) r[8]).intValue(),
                        r[9] == null ? null : ((Number) r[9]).intValue()))
                .toList();
    }

    private Session session() {
        return em.unwrap(Session.class);
    }
}
