package io.xwr.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xwr.coverage.Interval;
import io.xwr.event.ActivityEvent;
import io.xwr.store.Columns;
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
    private final ObjectMapper mapper;

    ReplayJobs(EntityManager em, ObjectMapper mapper) {
        this.em = em;
        this.mapper = mapper;
    }

    /**
     * A window asked of X. {@code xJobId} is null when X's answer was lost (a timeout, a dropped connection): the
     * job may exist at X, so it counts as a request and waits like one.
     */
    @Transactional
    public void submitted(Long gapId, String webhookId, String xJobId, Interval window, Instant now) {
        em.unwrap(Session.class)
                .createNativeMutationQuery("""
                        INSERT INTO replay_job (gap_id, webhook_id, x_job_id, from_at, to_at, state, submitted_at,
                          attempts, description)
                        VALUES (:gap, :webhook, :job, :from, :to, 'SUBMITTED', :now, 1, :description)
                        """)
                .setParameter("gap", gapId, Long.class)
                .setParameter("webhook", webhookId)
                .setParameter("job", xJobId, String.class)
                .setParameter(
                        "description", xJobId == null ? "possibly submitted: X's answer was lost" : null, String.class)
                .setParameter("from", window.from(), Instant.class)
                .setParameter("to", window.to(), Instant.class)
                .setParameter("now", now, Instant.class)
                .executeUpdate();
    }

    /**
     * The {@code job_state} X reported per job id, from the {@code replay_job_status} events stored by any
     * replica, newest last (a job has one status; should X send two, the newer wins).
     */
    @Transactional
    public Map<String, String> reportedStates() {
        Map<String, String> states = new java.util.LinkedHashMap<>();
        List<Object[]> rows = Columns.rows(
                em,
                "SELECT id, payload FROM activity_event WHERE event_type = ?1 ORDER BY id",
                ActivityEvent.ReplayJobFinished.TYPE,
                10_000);
        for (Object[] row : rows) {
            try {
                JsonNode data = mapper.readTree((String) row[1]).path("data");
                if (data.hasNonNull("jobId")) {
                    states.put(data.path("jobId").asText(), data.path("state").asText(""));
                }
            } catch (JsonProcessingException e) {
                // a purged or foreign payload: it settles nothing
            }
        }
        return states;
    }

    /** Jobs that a status may still settle: every one but those X confirmed complete. */
    @Transactional
    public List<StoredReplayJob> settleable(String webhookId) {
        return list(
                "SELECT " + COLUMNS + " FROM replay_job WHERE webhook_id = ?1 AND state <> 'COMPLETE'"
                        + " AND x_job_id IS NOT NULL ORDER BY id",
                webhookId,
                1000);
    }

    /** Records what a status (or its absence) made of a job. */
    @Transactional
    public void settle(long id, ReplayState state, String description, Instant now) {
        em.unwrap(Session.class)
                .createNativeMutationQuery("""
                        UPDATE replay_job SET state = :state, finished_at = :now, description = :description
                        WHERE id = :id
                        """)
                .setParameter("state", state.name())
                .setParameter("now", now, Instant.class)
                .setParameter("description", Columns.clip(description, 500), String.class)
                .setParameter("id", id)
                .executeUpdate();
    }

    /**
     * Jobs of the webhook submitted before {@code before} with no status yet become UNCONFIRMED: requested, not
     * confirmed. Returns how many.
     */
    @Transactional
    public int unconfirm(String webhookId, Instant before, Instant now) {
        return em.unwrap(Session.class)
                .createNativeMutationQuery("""
                        UPDATE replay_job SET state = 'UNCONFIRMED', finished_at = :now,
                          description = 'requested, unconfirmed: no replay_job_status in time'
                        WHERE webhook_id = :webhook AND state = 'SUBMITTED' AND submitted_at < :before
                        """)
                .setParameter("webhook", webhookId)
                .setParameter("now", now, Instant.class)
                .setParameter("before", before, Instant.class)
                .executeUpdate();
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

    /**
     * Jobs of the webhook, for any gap, whose window overlaps {@code span}: a window asked for one gap also
     * replays it for another gap over the same minutes (two holes close together), so it is not asked again.
     */
    @Transactional
    public List<StoredReplayJob> overlapping(String webhookId, Interval span) {
        return list(
                "SELECT " + COLUMNS + " FROM replay_job WHERE webhook_id = ?1 AND from_at < ?2 AND to_at > ?3"
                        + " ORDER BY id",
                1000,
                webhookId,
                Columns.offset(span.to()),
                Columns.offset(span.from()));
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
        return list(sql, limit, param == null ? new Object[0] : new Object[] {param});
    }

    private List<StoredReplayJob> list(String sql, int limit, Object... params) {
        return Columns.rows(em, sql, limit, params).stream()
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
