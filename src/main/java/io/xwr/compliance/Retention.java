package io.xwr.compliance;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import org.hibernate.Session;

/** Deletes raw deliveries and events past the retention period, a batch per transaction. */
@ApplicationScoped
public class Retention {
    private final EntityManager em;

    Retention(EntityManager em) {
        this.em = em;
    }

    /** What one pass deleted. */
    public record Removed(int events, int deliveries) {}

    /**
     * Events first, then deliveries (their links go with them); a delivery the projection has not read yet stays
     * whatever its age. Outbox rows are left alone: a row not yet published is owed to Kafka, whatever its age.
     */
    public Removed removeBefore(Instant cutoff, int batch) {
        int events = batches(
                "DELETE FROM activity_event WHERE id IN (SELECT id FROM activity_event WHERE recorded_at < :cutoff"
                        + " ORDER BY id LIMIT " + batch + ")",
                cutoff);
        int deliveries = batches(
                "DELETE FROM raw_delivery WHERE id IN (SELECT id FROM raw_delivery WHERE received_at < :cutoff"
                        + " AND id <= (SELECT delivery_id FROM projection_position WHERE name = 'events')"
                        + " ORDER BY id LIMIT " + batch + ")",
                cutoff);
        return new Removed(events, deliveries);
    }

    private int batches(String sql, Instant cutoff) {
        int total = 0;
        while (true) {
            int n = QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class)
                    .createNativeMutationQuery(sql)
                    .setParameter("cutoff", cutoff, Instant.class)
                    .executeUpdate());
            total += n;
            if (n == 0) {
                return total;
            }
        }
    }
}
