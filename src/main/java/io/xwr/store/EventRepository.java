package io.xwr.store;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.List;
import org.hibernate.Session;

/** Domain events, unique by key. */
@ApplicationScoped
class EventRepository implements PanacheRepository<EventEntity> {

    /**
     * Inserts each event unless its key is already stored, in one JDBC batch (one round trip); says per row
     * whether it was the first of its key. {@code ON CONFLICT DO NOTHING} (no target, so it runs on H2 too) makes
     * a concurrent duplicate wait for the first insert's commit and then do nothing, instead of failing the
     * transaction the way a caught unique violation would on PostgreSQL. Callers insert in key order, so
     * concurrent batches take the keys' locks in the same order.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean[] insertAllIfAbsent(List<EventEntity> rows) {
        boolean[] inserted = new boolean[rows.size()];
        if (rows.isEmpty()) {
            return inserted;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO activity_event
                        (event_key, delivery_id, family, event_type, source_type, account_id,
                         occurred_at, recorded_at, payload, post_id, purged_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """)) {
                for (EventEntity e : rows) {
                    insert.setString(1, e.eventKey);
                    insert.setObject(2, e.deliveryId, Types.BIGINT);
                    insert.setString(3, e.family);
                    insert.setString(4, e.eventType);
                    insert.setString(5, e.sourceType);
                    insert.setString(6, e.accountId);
                    insert.setObject(7, Columns.offset(e.occurredAt));
                    insert.setObject(8, Columns.offset(e.recordedAt));
                    insert.setString(9, e.payload);
                    insert.setString(10, e.postId);
                    insert.setObject(11, Columns.offset(e.purgedAt));
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    inserted[i] = counts[i] == 1;
                }
            }
        });
        return inserted;
    }
}
