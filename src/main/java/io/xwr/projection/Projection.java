package io.xwr.projection;

import io.xwr.event.Normalization;
import io.xwr.outbox.PublishedSources;
import io.xwr.rawlog.LogBarrier;
import io.xwr.store.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.hibernate.Session;

/**
 * The projection's position in the raw log and its steps. A step reads the deliveries after the position (up to
 * the {@link LogBarrier} horizon), records what they mean through {@link EventRecorder}, and moves the position,
 * in one transaction that holds the position's row lock: whatever replicas run it, each delivery is projected
 * once, in id order. A delivery the normalizer cannot take is quarantined in the same step and the log moves on.
 */
@ApplicationScoped
public class Projection {
    static final String EVENTS = "events";

    private final EntityManager em;
    private final EventRecorder recorder;
    private final PublishedSources sources;
    private final Clock clock;

    Projection(EntityManager em, EventRecorder recorder, PublishedSources sources, Clock clock) {
        this.em = em;
        this.recorder = recorder;
        this.sources = sources;
        this.clock = clock;
    }

    /** A delivery as the projection reads it from the log; a purged one holds only the purge's marker. */
    public record Logged(long id, Instant receivedAt, byte[] body, boolean purged, int revision) {}

    /** What a delivery means, or why it could not be made out. */
    public sealed interface Meaning {
        record Understood(Normalization normalization) implements Meaning {}

        record Refused(String reason) implements Meaning {}
    }

    /**
     * What one step did: deliveries read, quarantined, the events' results, the position after it, and whether
     * that is the horizon.
     */
    public record Step(int read, int quarantined, List<Recorded> recorded, long position, boolean caughtUp) {
        public Step {
            recorded = List.copyOf(recorded);
        }
    }

    /**
     * Projects up to {@code limit} deliveries after the position and up to {@code horizon}. When fewer are left,
     * the position moves to the horizon (the ids between were never committed).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Step next(long horizon, int limit, long maxBytes, Function<Logged, Meaning> meaning) {
        Session session = em.unwrap(Session.class);
        long position = lockPosition(session);
        long upTo = session.doReturningWork(c -> lastWithin(c, position, horizon, limit, maxBytes));
        List<Logged> batch = session.doReturningWork(c -> read(c, position, upTo, limit));
        Instant now = clock.instant();
        List<EventRecorder.Item> items = new ArrayList<>(batch.size());
        int quarantined = 0;
        for (Logged logged : batch) {
            switch (meaning.apply(logged)) {
                case Meaning.Understood(Normalization normalization) -> {
                    items.add(new EventRecorder.Item(logged.id(), logged.receivedAt(), logged.body(), normalization));
                    // for the relay, a moment behind, so it need not read and parse the body again (a body the
                    // recorder rewrites for a purge gets a new revision, and the relay reads that one instead)
                    if (!logged.purged()) {
                        sources.offer(logged.id(), logged.revision(), normalization);
                    }
                }
                case Meaning.Refused(String reason) -> {
                    quarantine(session, logged.id(), reason, now);
                    quarantined++;
                }
            }
        }
        List<Recorded> recorded = recorder.recordAll(items);
        long next = Math.max(position, upTo);
        move(session, next, now);
        return new Step(batch.size(), quarantined, recorded, next, next >= horizon);
    }

    /**
     * Quarantines the first delivery after the position (the one a failed step left there) and moves past it:
     * one delivery whose writes the database refuses never holds up the log.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Long> quarantineNext(long horizon, String reason) {
        Session session = em.unwrap(Session.class);
        long position = lockPosition(session);
        List<Logged> next = session.doReturningWork(c -> read(c, position, horizon, 1));
        if (next.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        quarantine(session, next.getFirst().id(), reason, now);
        move(session, next.getFirst().id(), now);
        return Optional.of(next.getFirst().id());
    }

    /**
     * Projects one stored delivery again (a quarantined one, after a fix): events are keyed, so what it
     * recorded before is not recorded twice. Leaves quarantine when it succeeds; counts the attempt when not.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Step> reproject(long deliveryId, Function<Logged, Meaning> meaning) {
        Session session = em.unwrap(Session.class);
        Optional<Logged> logged = session.doReturningWork(c -> one(c, deliveryId));
        if (logged.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return Optional.of(
                switch (meaning.apply(logged.get())) {
                    case Meaning.Understood(Normalization normalization) -> {
                        List<Recorded> recorded = recorder.recordAll(List.of(new EventRecorder.Item(
                                deliveryId,
                                logged.get().receivedAt(),
                                logged.get().body(),
                                normalization)));
                        session.createNativeMutationQuery("DELETE FROM quarantine WHERE delivery_id = :id")
                                .setParameter("id", deliveryId)
                                .executeUpdate();
                        yield new Step(1, 0, recorded, position(session), false);
                    }
                    case Meaning.Refused(String reason) -> {
                        quarantine(session, deliveryId, reason, now);
                        yield new Step(1, 1, List.of(), position(session), false);
                    }
                });
    }

    /** The position: every delivery up to it is projected or quarantined. */
    @Transactional
    public long position() {
        return position(em.unwrap(Session.class));
    }

    /** Why the delivery is in quarantine, if it is. */
    @Transactional
    public Optional<String> quarantineReason(long deliveryId) {
        List<?> reasons = em.createNativeQuery("SELECT reason FROM quarantine WHERE delivery_id = :id", String.class)
                .setParameter("id", deliveryId)
                .getResultList();
        return reasons.stream().map(String.class::cast).findFirst();
    }

    /** Quarantined deliveries, newest first. */
    @Transactional
    public List<Quarantined> quarantined(int limit) {
        List<Object[]> rows = Columns.rows(
                em,
                "SELECT delivery_id, reason, quarantined_at, attempts FROM quarantine ORDER BY delivery_id DESC",
                limit);
        return rows.stream()
                .map(r -> new Quarantined(
                        ((Number) r[0]).longValue(), (String) r[1], Columns.instant(r[2]), ((Number) r[3]).intValue()))
                .toList();
    }

    /** A delivery set aside by the projection. */
    public record Quarantined(long deliveryId, String reason, Instant quarantinedAt, int attempts) {}

    /** Counted up to this many: the figure must stay cheap while a backlog grows. */
    public static final int BEHIND_CAP = 100_000;

    /** Deliveries in the log after the position (the projection's lag), up to {@link #BEHIND_CAP}. */
    @Transactional
    public long behind() {
        return ((Number) em.createNativeQuery(
                                "SELECT count(*) FROM (SELECT 1 FROM raw_delivery WHERE id > (SELECT delivery_id FROM"
                                        + " projection_position WHERE name = :name) LIMIT " + BEHIND_CAP + ") AS b")
                        .setParameter("name", EVENTS)
                        .getSingleResult())
                .longValue();
    }

    private long position(Session session) {
        return ((Number) session.createNativeQuery(
                                "SELECT delivery_id FROM projection_position WHERE name = :name", Long.class)
                        .setParameter("name", EVENTS)
                        .getSingleResult())
                .longValue();
    }

    private static long lockPosition(Session session) {
        return ((Number) session.createNativeQuery(
                                "SELECT delivery_id FROM projection_position WHERE name = :name FOR UPDATE", Long.class)
                        .setParameter("name", EVENTS)
                        .getSingleResult())
                .longValue();
    }

    private static void move(Session session, long position, Instant now) {
        session.createNativeMutationQuery(
                        "UPDATE projection_position SET delivery_id = :position, updated_at = :now WHERE name = :name")
                .setParameter("position", position)
                .setParameter("now", now, Instant.class)
                .setParameter("name", EVENTS)
                .executeUpdate();
    }

    private static void quarantine(Session session, long deliveryId, String reason, Instant now) {
        int again = session.createNativeMutationQuery(
                        "UPDATE quarantine SET reason = :reason, quarantined_at = :now, attempts = attempts + 1"
                                + " WHERE delivery_id = :id")
                .setParameter("reason", Columns.clip(reason, 500))
                .setParameter("now", now, Instant.class)
                .setParameter("id", deliveryId)
                .executeUpdate();
        if (again == 0) {
            session.createNativeMutationQuery(
                            "INSERT INTO quarantine (delivery_id, reason, quarantined_at) VALUES (:id, :reason, :now)")
                    .setParameter("id", deliveryId)
                    .setParameter("reason", Columns.clip(reason, 500))
                    .setParameter("now", now, Instant.class)
                    .executeUpdate();
        }
    }

    /**
     * The last id of the next batch: at most {@code limit} deliveries and, past the first, at most {@code maxBytes}
     * of bodies, so a run of large deliveries cannot take the heap. The horizon when what is left fits.
     */
    private static long lastWithin(Connection c, long after, long horizon, int limit, long maxBytes)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, octet_length(body) FROM raw_delivery WHERE id > ? AND id <= ? ORDER BY id LIMIT ?")) {
            s.setLong(1, after);
            s.setLong(2, horizon);
            s.setInt(3, limit);
            long bytes = 0;
            long last = after;
            int rows = 0;
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    bytes += r.getLong(2);
                    if (rows > 0 && bytes > maxBytes) {
                        return last;
                    }
                    last = r.getLong(1);
                    rows++;
                }
            }
            return rows < limit ? horizon : last;
        }
    }

    private static List<Logged> read(Connection c, long after, long upTo, int limit) throws SQLException {
        List<Logged> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, received_at, body, purged_at, body_revision FROM raw_delivery WHERE id > ? AND id <= ? ORDER BY id"
                        + " LIMIT ?")) {
            s.setLong(1, after);
            s.setLong(2, upTo);
            s.setInt(3, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(logged(r));
                }
            }
        }
        return rows;
    }

    /** Deliveries after {@code after} up to {@code upTo} received in [from, to), in id order. */
    static List<Logged> readRange(Connection c, long after, long upTo, Instant from, Instant to, int limit)
            throws SQLException {
        List<Logged> rows = new ArrayList<>();
        try (PreparedStatement s =
                c.prepareStatement("SELECT id, received_at, body, purged_at, body_revision FROM raw_delivery"
                        + " WHERE id > ? AND id <= ? AND received_at >= ? AND received_at < ? ORDER BY id LIMIT ?")) {
            s.setLong(1, after);
            s.setLong(2, upTo);
            s.setObject(3, Columns.offset(from));
            s.setObject(4, Columns.offset(to));
            s.setInt(5, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(logged(r));
                }
            }
        }
        return rows;
    }

    private static Optional<Logged> one(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, received_at, body, purged_at, body_revision FROM raw_delivery WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(logged(r)) : Optional.empty();
            }
        }
    }

    private static Logged logged(ResultSet r) throws SQLException {
        return new Logged(
                r.getLong("id"),
                r.getObject("received_at", java.time.OffsetDateTime.class).toInstant(),
                r.getBytes("body"),
                r.getObject("purged_at") != null,
                r.getInt("body_revision"));
    }
}
