package io.xwr.store;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.hibernate.Session;

/** Domain events, unique by key. */
@ApplicationScoped
class EventRepository implements PanacheRepository<EventEntity> {

    /**
     * Inserts the event unless its key is already stored. {@code ON CONFLICT DO NOTHING} (no target, so it runs
     * on H2 too) makes a concurrent duplicate wait for the first insert's commit and then do nothing, instead
     * of failing the transaction the way a caught unique violation would on PostgreSQL.
     *
     * @return true if this call inserted the row
     */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean insertIfAbsent(EventEntity e) {
        int rows = getEntityManager()
                .unwrap(Session.class)
                .createNativeMutationQuery("""
                        INSERT INTO activity_event
                            (event_key, delivery_id, family, event_type, source_type, account_id,
                             occurred_at, recorded_at, payload, post_id, purged_at)
                        VALUES (:key, :delivery, :family, :type, :sourceType, :account, :occurredAt, :recordedAt,
                                :payload, :post, :purgedAt)
                        ON CONFLICT DO NOTHING
                        """)
                .setParameter("key", e.eventKey)
                .setParameter("delivery", e.deliveryId, Long.class)
                .setParameter("family", e.family)
                .setParameter("type", e.eventType)
                .setParameter("sourceType", e.sourceType)
                .setParameter("account", e.accountId, String.class)
                .setParameter("occurredAt", e.occurredAt, Instant.class)
                .setParameter("recordedAt", e.recordedAt, Instant.class)
                .setParameter("payload", e.payload)
                .setParameter("post", e.postId, String.class)
                .setParameter("purgedAt", e.purgedAt, Instant.class)
                .executeUpdate();
        return rows == 1;
    }
}
