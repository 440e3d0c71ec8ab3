package io.xwr.compliance;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.xwr.rawlog.Partitions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;

/**
 * Removes raw deliveries and events past the retention period. On PostgreSQL whole days of the raw log go at
 * once ({@link Partitions}); what no dropped day covered (rows in the pre-partitioning legacy partition, and
 * events, which are kept in one table so their key stays unique) is deleted a batch per transaction.
 */
@ApplicationScoped
public class Retention {
    private final EntityManager em;
    private final Partitions partitions;

    Retention(EntityManager em, Partitions partitions) {
        this.em = em;
        this.partitions = partitions;
    }

    /**
     * What one pass removed: events and deliveries deleted row by row, whole days dropped, and parked outbox rows.
     */
    public record Removed(int events, int deliveries, List<Partitions.Retired> days, int parked) {}

    /**
     * Events first, then deliveries and their links; a delivery the projection has not read yet stays whatever
     * its age. A row waiting in the outbox is owed to Kafka whatever its age; a parked one (Kafka refused it and
     * nobody released it) goes once it is older than the retention period, like the event it stood for.
     */
    public Removed removeBefore(Instant cutoff, int batch) {
        int events = batches(
                List.of("DELETE FROM activity_event WHERE id IN (SELECT id FROM activity_event WHERE recorded_at <"
                        + " :cutoff ORDER BY id LIMIT " + batch + ")"),
                cutoff);
        long readUpTo = QuarkusTransaction.requiringNew().call(() -> ((Number) session()
                        .createNativeQuery(
                                "SELECT delivery_id FROM projection_position WHERE name = 'events'", Long.class)
                        .getSingleResult())
                .longValue());
        List<Partitions.Retired> days = partitions.retireBefore(cutoff, readUpTo);
        for (Partitions.Retired day : days) {
            // Nothing references a partitioned table: quarantine rows of the day's deliveries go here.
            QuarkusTransaction.requiringNew().run(() -> session()
                    .createNativeMutationQuery("DELETE FROM quarantine WHERE delivery_id BETWEEN :first AND :last")
                    .setParameter("first", day.firstId())
                    .setParameter("last", day.lastId())
                    .executeUpdate());
        }
        // A batch of deliveries and, in the same transaction, their links: on PostgreSQL nothing cascades to them.
        String batchOfDeliveries = "SELECT id FROM raw_delivery WHERE received_at < :cutoff AND id <= " + readUpTo
                + " ORDER BY id LIMIT " + batch;
        int deliveries = batches(
                List.of(
                        "DELETE FROM delivery_post WHERE delivery_id IN (" + batchOfDeliveries + ")",
                        "DELETE FROM delivery_account WHERE delivery_id IN (" + batchOfDeliveries + ")",
                        "DELETE FROM raw_delivery WHERE id IN (" + batchOfDeliveries + ")"),
                cutoff);
        QuarkusTransaction.requiringNew().run(() -> session()
                .createNativeMutationQuery("DELETE FROM quarantine q WHERE q.delivery_id <= " + readUpTo
                        + " AND NOT EXISTS (SELECT 1 FROM raw_delivery r WHERE r.id = q.delivery_id)")
                .executeUpdate());
        int parked = batches(
                List.of("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE parked_at < :cutoff"
                        + " AND created_at < :cutoff ORDER BY id LIMIT " + batch + ")"),
                cutoff);
        // Accounts that stayed unusable (X refused their refresh) past retention, and connections never completed.
        QuarkusTransaction.requiringNew().run(() -> {
            session()
                    .createNativeMutationQuery(
                            "DELETE FROM x_account WHERE state = 'NEEDS_REAUTHORIZATION' AND updated_at < :cutoff")
                    .setParameter("cutoff", cutoff, Instant.class)
                    .executeUpdate();
            session()
                    .createNativeMutationQuery("DELETE FROM oauth_pending WHERE expires_at < :cutoff")
                    .setParameter("cutoff", cutoff, Instant.class)
                    .executeUpdate();
        });
        return new Removed(events, deliveries, days, parked);
    }

    /**
     * Runs the statements in one transaction per batch until the last of them deletes nothing; returns what the
     * last deleted in all. The ones before it delete what refers to the last's rows.
     */
    private int batches(List<String> statements, Instant cutoff) {
        int total = 0;
        while (true) {
            int n = QuarkusTransaction.requiringNew().call(() -> {
                int last = 0;
                for (String sql : statements) {
                    last = session()
                            .createNativeMutationQuery(sql)
                            .setParameter("cutoff", cutoff, Instant.class)
                            .executeUpdate();
                }
                return last;
            });
            total += n;
            if (n == 0) {
                return total;
            }
        }
    }

    private Session session() {
        return em.unwrap(Session.class);
    }
}
