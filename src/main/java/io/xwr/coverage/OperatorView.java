package io.xwr.coverage;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.xwr.store.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import org.hibernate.Session;

/** What the operator page summarizes: the CRC pulse and delivery and event rates, across all replicas. */
@ApplicationScoped
public class OperatorView {
    private final EntityManager em;

    OperatorView(EntityManager em) {
        this.em = em;
    }

    /** Counts of deliveries and events recorded in the last minute and the last hour before {@code now}. */
    @RegisterForReflection
    public record Rates(
            long deliveriesLastMinute, long deliveriesLastHour, long eventsLastMinute, long eventsLastHour) {}

    /** Moves the last CRC answer forward to {@code at}; an older time (another replica's) changes nothing. */
    @Transactional
    public void crcAnswered(Instant at) {
        em.unwrap(Session.class)
                .createNativeMutationQuery(
                        "UPDATE crc_pulse SET answered_at = :at WHERE id = 1 AND (answered_at IS NULL OR answered_at < :at)")
                .setParameter("at", at, Instant.class)
                .executeUpdate();
    }

    @Transactional
    public Instant lastCrcAnswer() {
        return Columns.instant(em.createNativeQuery("SELECT answered_at FROM crc_pulse WHERE id = 1")
                .getSingleResult());
    }

    @Transactional
    public Rates rates(Instant now) {
        Instant minute = now.minus(Duration.ofMinutes(1));
        Instant hour = now.minus(Duration.ofHours(1));
        return new Rates(
                count("SELECT count(*) FROM raw_delivery WHERE received_at >= ?1", minute),
                count("SELECT count(*) FROM raw_delivery WHERE received_at >= ?1", hour),
                count("SELECT count(*) FROM activity_event WHERE recorded_at >= ?1", minute),
                count("SELECT count(*) FROM activity_event WHERE recorded_at >= ?1", hour));
    }

    private long count(String sql, Instant since) {
        return ((Number) em.createNativeQuery(sql).setParameter(1, since).getSingleResult()).longValue();
    }
}
