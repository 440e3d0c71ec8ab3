package io.xwr.coverage;

import io.xwr.store.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/** Gaps: windows whose deliveries may be missing, with their recovery state. */
@ApplicationScoped
public class GapLog {
    private final EntityManager em;

    GapLog(EntityManager em) {
        this.em = em;
    }

    /** Records a gap unless the same one (cause and start) is already known; true when it is new. */
    @Transactional
    public boolean record(GapCause cause, String webhookId, Interval window, Instant now) {
        return em.unwrap(Session.class)
                        .createNativeMutationQuery("""
                                INSERT INTO gap (cause, webhook_id, from_at, to_at, state, detected_at, updated_at)
                                VALUES (:cause, :webhook, :from, :to, :state, :now, :now)
                                ON CONFLICT DO NOTHING
                                """)
                        .setParameter("cause", cause.name())
                        .setParameter("webhook", webhookId, String.class)
                        .setParameter("from", window.from(), Instant.class)
                        .setParameter("to", window.to(), Instant.class)
                        .setParameter("state", GapState.WAITING.name())
                        .setParameter("now", now, Instant.class)
                        .executeUpdate()
                == 1;
    }

    /** Moves a gap to a new state, with a note for operators (never content). */
    @Transactional
    public void update(long id, GapState state, String note, Instant now) {
        em.unwrap(Session.class)
                .createNativeMutationQuery(
                        "UPDATE gap SET state = :state, note = :note, updated_at = :now WHERE id = :id")
                .setParameter("state", state.name())
                .setParameter("note", Columns.clip(note, 500), String.class)
                .setParameter("now", now, Instant.class)
                .setParameter("id", id)
                .executeUpdate();
    }

    /**
     * Cuts off the part of a gap that lies beyond X's replay horizon, once: the gap starts at {@code keptFrom}
     * from now on (so its windows never slide with the clock), and {@code lost} is kept as its own LOST gap, for
     * operators to see what cannot be recovered.
     */
    @Transactional
    public void trim(StoredGap gap, Interval lost, Instant keptFrom, Instant now) {
        Session session = em.unwrap(Session.class);
        session.createNativeMutationQuery(
                        "UPDATE gap SET from_at = :from, updated_at = :now, note = :note WHERE id = :id")
                .setParameter("from", keptFrom, Instant.class)
                .setParameter("now", now, Instant.class)
                .setParameter(
                        "note",
                        Columns.clip(
                                "trimmed to X's replay horizon; " + lost.from() + " to " + lost.to() + " is lost", 500),
                        String.class)
                .setParameter("id", gap.id())
                .executeUpdate();
        session.createNativeMutationQuery("""
                        INSERT INTO gap (cause, webhook_id, from_at, to_at, state, detected_at, updated_at, note)
                        VALUES (:cause, :webhook, :from, :to, :state, :now, :now, :note)
                        ON CONFLICT DO NOTHING
                        """)
                .setParameter("cause", gap.cause().name())
                .setParameter("webhook", gap.webhookId(), String.class)
                .setParameter("from", lost.from(), Instant.class)
                .setParameter("to", lost.to(), Instant.class)
                .setParameter("state", GapState.LOST.name())
                .setParameter("now", now, Instant.class)
                .setParameter("note", "beyond X's replay horizon: unrecoverable", String.class)
                .executeUpdate();
    }

    @Transactional
    public List<StoredGap> recent(int limit) {
        List<Object[]> rows =
                em.createNativeQuery("""
                        SELECT id, cause, webhook_id, from_at, to_at, state, detected_at, updated_at, note
                        FROM gap ORDER BY from_at DESC
                        """, Object[].class).setMaxResults(limit).getResultList();
        return rows.stream().map(GapLog::gap).toList();
    }

    @Transactional
    public List<StoredGap> inState(GapState state) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT id, cause, webhook_id, from_at, to_at, state, detected_at, updated_at, note
                        FROM gap WHERE state = ?1 ORDER BY from_at
                        """, Object[].class)
                .setParameter(1, state.name())
                .getResultList();
        return rows.stream().map(GapLog::gap).toList();
    }

    /** How many rows are in each state, for the metrics and the operator page. */
    @Transactional
    public Map<GapState, Long> countByState() {
        return Columns.countByState(em, "gap", GapState.class);
    }

    private static StoredGap gap(Object[] r) {
        return new StoredGap(
                ((Number) r[0]).longValue(),
                GapCause.valueOf((String) r[1]),
                (String) r[2],
                new Interval(Columns.instant(r[3]), Columns.instant(r[4])),
                GapState.valueOf((String) r[5]),
                Columns.instant(r[6]),
                Columns.instant(r[7]),
                (String) r[8]);
    }
}
