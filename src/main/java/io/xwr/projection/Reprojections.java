package io.xwr.projection;

import io.xwr.event.Normalization;
import io.xwr.store.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.hibernate.Session;

/**
 * Re-projections: the stored deliveries of a time range normalized again (after a normalizer upgrade) and
 * recorded through {@link EventRecorder}, so events the new normalizer finds are added, once by key, and
 * published. They never run ahead of the projection: a delivery it has not read yet is its to read, and the
 * outbox keeps each account's order. A delivery that reads now leaves quarantine.
 */
@ApplicationScoped
public class Reprojections {
    private static final String COLUMNS =
            "id, from_at, to_at, last_id, position, state, deliveries, events_added, refused, created_at, updated_at";

    private final EntityManager em;
    private final EventRecorder recorder;
    private final Clock clock;

    Reprojections(EntityManager em, EventRecorder recorder, Clock clock) {
        this.em = em;
        this.recorder = recorder;
        this.clock = clock;
    }

    /** A re-projection and how far it got. */
    public record Reprojection(
            long id,
            Instant from,
            Instant to,
            long lastDeliveryId,
            long position,
            String state,
            int deliveries,
            int eventsAdded,
            int refused,
            Instant createdAt,
            Instant updatedAt) {}

    /** Asks for the deliveries received in [from, to) as stored now to be projected again. */
    @Transactional
    public Reprojection request(Instant from, Instant to) {
        Session session = em.unwrap(Session.class);
        Instant now = clock.instant();
        Object[] bounds = (Object[]) session.createNativeQuery(
                        "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM raw_delivery WHERE received_at >= :from"
                                + " AND received_at < :to",
                        Object[].class)
                .setParameter("from", from, Instant.class)
                .setParameter("to", to, Instant.class)
                .getSingleResult();
        long first = ((Number) bounds[0]).longValue();
        long last = ((Number) bounds[1]).longValue();
        session.createNativeMutationQuery(
                        "INSERT INTO reprojection (from_at, to_at, last_id, position, state, created_at, updated_at)"
                                + " VALUES (:from, :to, :last, :position, :state, :now, :now)")
                .setParameter("from", from, Instant.class)
                .setParameter("to", to, Instant.class)
                .setParameter("last", last)
                .setParameter("position", Math.max(0, first - 1))
                .setParameter("state", last == 0 ? "DONE" : "RUNNING")
                .setParameter("now", now, Instant.class)
                .executeUpdate();
        return list("SELECT " + COLUMNS + " FROM reprojection ORDER BY id DESC", 1)
                .getFirst();
    }

    @Transactional
    public Optional<Reprojection> find(long id) {
        return list("SELECT " + COLUMNS + " FROM reprojection WHERE id = ?1", 1, id).stream()
                .findFirst();
    }

    @Transactional
    public List<Reprojection> recent(int limit) {
        return list("SELECT " + COLUMNS + " FROM reprojection ORDER BY id DESC", limit);
    }

    /**
     * One step of the oldest running re-projection: up to {@code limit} of its deliveries that the projection
     * has read. Returns whether there is more to do now.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean step(int limit, Function<Projection.Logged, Projection.Meaning> meaning) {
        Session session = em.unwrap(Session.class);
        // Locked, so a second runner (a lease handed over mid-step) waits instead of doing the step twice.
        List<Reprojection> running = rows(session.createNativeQuery(
                        "SELECT " + COLUMNS
                                + " FROM reprojection WHERE state = 'RUNNING' ORDER BY id LIMIT 1 FOR UPDATE",
                        Object[].class)
                .getResultList());
        if (running.isEmpty()) {
            return false;
        }
        Reprojection job = running.getFirst();
        long projected = ((Number) session.createNativeQuery(
                                "SELECT delivery_id FROM projection_position WHERE name = :name", Long.class)
                        .setParameter("name", Projection.EVENTS)
                        .getSingleResult())
                .longValue();
        long upTo = Math.min(job.lastDeliveryId(), projected);
        List<Projection.Logged> batch = session.doReturningWork(
                c -> Projection.readRange(c, job.position(), upTo, job.from(), job.to(), limit));
        List<EventRecorder.Item> items = new ArrayList<>();
        List<Long> understood = new ArrayList<>();
        int refused = 0;
        for (Projection.Logged logged : batch) {
            switch (meaning.apply(logged)) {
                case Projection.Meaning.Understood(Normalization normalization) -> {
                    items.add(new EventRecorder.Item(logged.id(), logged.receivedAt(), logged.body(), normalization));
                    understood.add(logged.id());
                }
                case Projection.Meaning.Refused refusal -> refused++;
            }
        }
        int added = recorder.recordAll(items).stream()
                .mapToInt(r -> r.newEvents().size())
                .sum();
        if (!understood.isEmpty()) {
            session.createNativeMutationQuery("DELETE FROM quarantine WHERE delivery_id IN (:ids)")
                    .setParameter("ids", understood)
                    .executeUpdate();
        }
        long position = batch.size() < limit ? upTo : batch.getLast().id();
        boolean done = position >= job.lastDeliveryId();
        session.createNativeMutationQuery(
                        "UPDATE reprojection SET position = :position, state = :state, deliveries = deliveries +"
                                + " :deliveries, events_added = events_added + :added, refused = refused + :refused,"
                                + " updated_at = :now WHERE id = :id")
                .setParameter("position", Math.max(position, job.position()))
                .setParameter("state", done ? "DONE" : "RUNNING")
                .setParameter("deliveries", batch.size())
                .setParameter("added", added)
                .setParameter("refused", refused)
                .setParameter("now", clock.instant(), Instant.class)
                .setParameter("id", job.id())
                .executeUpdate();
        return !done && batch.size() == limit;
    }

    private List<Reprojection> list(String sql, int limit, Object... params) {
        return rows(Columns.rows(em, sql, limit, params));
    }

    private static List<Reprojection> rows(List<Object[]> rows) {
        return rows.stream()
                .map(r -> new Reprojection(
                        ((Number) r[0]).longValue(),
                        Columns.instant(r[1]),
                        Columns.instant(r[2]),
                        ((Number) r[3]).longValue(),
                        ((Number) r[4]).longValue(),
                        (String) r[5],
                        ((Number) r[6]).intValue(),
                        ((Number) r[7]).intValue(),
                        ((Number) r[8]).intValue(),
                        Columns.instant(r[9]),
                        Columns.instant(r[10])))
                .toList();
    }
}
