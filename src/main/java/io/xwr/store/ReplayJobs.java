package io.xwr.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/** Replay jobs asked of X and what became of them. */
@ApplicationScoped
public class ReplayJobs {
    private static final String COLUMNS =
            "id, gap_id, webhook_id, x_job_id, from_at, to_at, state, submitted_at, finished_at, description";

    private final EntityManager em;

    ReplayJobs(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public void submitted(Long gapId, String webhookId, String xJobId, Interval window, Instant now) {
        em.unwrap(Session.class)
                .createNativeMutationQuery("""
                        INSERT INTO replay_job (gap_id, webhook_id, x_job_id, from_at, to_at, state, submitted_at, attempts)
                        VALUES (:gap, :webhook, :job, :from, :to, 'SUBMITTED', :now, 1)
                        """)
                .setParameter("gap", gapId, Long.class)
                .setParameter("webhook", webhookId)
                .setParameter("job", xJobId)
                .setParameter("from", window.from(), Instant.class)
                .setParameter("to", window.to(), Instant.class)
                .setParameter("now", now, Instant.class)
                .executeUpdate();
    }

    /**
     * Settles submitted jobs whose {@code replay_job_status} has been stored (by any replica): the status is an
     * event like any other, keyed {@code replay:<webhook>:<job>:<state>}. Jobs older than {@code timeoutBefore}
     * without one are timed out. Returns how many changed.
     */
    @Transactional
    public int settle(Instant now, Instant timeoutBefore) {
        Session session = em.unwrap(Session.class);
        int changed = 0;
        for (String state : List.of("Complete", "Incomplete")) {
            changed += session.createNativeMutationQuery("""
                            UPDATE replay_job SET state = :state, finished_at = :now,
                              description = 'replay_job_status ' || :xstate
                            WHERE state = 'SUBMITTED' AND EXISTS (
                              SELECT 1 FROM activity_event e
                              WHERE e.event_key = 'replay:' || replay_job.webhook_id || ':' || replay_job.x_job_id || ':' || :xstate)
                            """)
                    .setParameter("state", state.equals("Complete") ? "COMPLETE" : "INCOMPLETE")
                    .setParameter("xstate", state)
                    .setParameter("now", now, Instant.class)
                    .executeUpdate();
        }
        changed += session.createNativeMutationQuery("""
                        UPDATE replay_job SET state = 'TIMED_OUT', finished_at = :now,
                          description = 'no replay_job_status in time'
                        WHERE state = 'SUBMITTED' AND submitted_at < :before
                        """)
                .setParameter("now", now, Instant.class)
                .setParameter("before", timeoutBefore, Instant.class)
                .executeUpdate();
        return changed;
    }

    @Transactional
    public boolean running(String webhookId) {
        return ((Number) em.createNativeQuery(
                                        "SELECT count(*) FROM replay_job WHERE webhook_id = ?1 AND state = 'SUBMITTED'")
                                .setParameter(1, webhookId)
                                .getSingleResult())
                        .longValue()
                > 0;
    }

    @Transactional
    public List<StoredReplayJob> forGap(long gapId) {
        return list("SELECT " + COLUMNS + " FROM replay_job WHERE gap_id = ?1 ORDER BY id", gapId, 1000);
    }

    @Transactional
    public List<StoredReplayJob> recent(int limit) {
        return list("SELECT " + COLUMNS + " FROM replay_job ORDER BY id DESC", null, limit);
    }

    /** How many rows are in each state, for the metrics and the operator page. */
    @Transactional
    public Map<ReplayState, Long> countByState() {
        return Columns.countByState(em, "replay_job", ReplayState.class);
    }

    private List<StoredReplayJob> list(String sql, Object param, int limit) {
        return Columns.rows(em, sql, param, limit).stream()
                .map(r -> new StoredReplayJob(
                        ((Number) r[0]).longValue(),
                        r[1] == null ? null : ((Number) r[1]).longValue(),
                        (String) r[2],
                        (String) r[3],
                        new Interval(Columns.instant(r[4]), Columns.instant(r[5])),
                        ReplayState.valueOf((String) r[6]),
                        Columns.instant(r[7]),
                        Columns.instant(r[8]),
                        (String) r[9]))
                .toList();
    }
}
