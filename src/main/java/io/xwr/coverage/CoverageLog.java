package io.xwr.coverage;

import io.xwr.store.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;

/** The coverage table: when each replica was able to accept deliveries. */
@ApplicationScoped
public class CoverageLog {
    private final EntityManager em;

    CoverageLog(EntityManager em) {
        this.em = em;
    }

    /**
     * The replica is alive and reaches the database at {@code now}: extend its latest span, or start a new one
     * when the last beat is older than {@code tolerance} (the replica was stopped or cut off in between).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void beat(String replicaId, Instant now, Duration tolerance) {
        int extended = em.unwrap(Session.class)
                .createNativeMutationQuery("""
                        UPDATE coverage SET to_at = :now
                        WHERE id = (SELECT max(id) FROM coverage WHERE replica_id = :replica)
                          AND to_at >= :since AND to_at <= :now
                        """)
                .setParameter("now", now, Instant.class)
                .setParameter("replica", replicaId)
                .setParameter("since", now.minus(tolerance), Instant.class)
                .executeUpdate();
        if (extended == 0) {
            em.unwrap(Session.class)
                    .createNativeMutationQuery(
                            "INSERT INTO coverage (replica_id, from_at, to_at) VALUES (:replica, :now, :now)")
                    .setParameter("replica", replicaId)
                    .setParameter("now", now, Instant.class)
                    .executeUpdate();
        }
    }

    /** Every span that reaches into [since, ∞). */
    @Transactional
    public List<Interval> coveredSince(Instant since) {
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT from_at, to_at FROM coverage WHERE to_at >= ?1 ORDER BY from_at", Object[].class)
                .setParameter(1, since)
                .getResultList();
        return rows.stream()
                .map(r -> new Interval(Columns.instant(r[0]), Columns.instant(r[1])))
                .toList();
    }

    /** When this service first covered anything at all, or null: before that there is nothing to recover. */
    @Transactional
    public Instant firstCovered() {
        return Columns.instant(
                em.createNativeQuery("SELECT min(from_at) FROM coverage").getSingleResult());
    }

    /** Forgets spans that ended before {@code before} (older than X's replay reach). */
    @Transactional
    public int prune(Instant before) {
        return em.createNativeQuery("DELETE FROM coverage WHERE to_at < ?1")
                .setParameter(1, before)
                .executeUpdate();
    }
}
