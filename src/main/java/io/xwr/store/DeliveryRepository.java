package io.xwr.store;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import org.hibernate.Session;

/** Raw deliveries. */
@ApplicationScoped
class DeliveryRepository implements PanacheRepository<DeliveryEntity> {

    /** A delivery carrying a post's content. */
    record PostLink(long deliveryId, String postId) {}

    /**
     * Inserts raw deliveries in one JDBC batch and sets their ids (one round trip for a group-commit batch,
     * where persisting them one by one would cost one per delivery: an identity id is known only after it).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void insertAll(List<DeliveryEntity> rows) {
        if (rows.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO raw_delivery
                        (received_at, body, body_sha256, headers, secret_fingerprint, family, parse_status,
                         parse_problem, event_count, account_id, purged_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, new String[] {"id"})) {
                for (DeliveryEntity d : rows) {
                    insert.setObject(1, Columns.offset(d.receivedAt));
                    insert.setBytes(2, d.body);
                    insert.setString(3, d.bodySha256);
                    insert.setString(4, d.headers);
                    insert.setString(5, d.secretFingerprint);
                    insert.setString(6, d.family);
                    insert.setString(7, d.parseStatus);
                    insert.setString(8, d.parseProblem);
                    insert.setInt(9, d.eventCount);
                    insert.setString(10, d.accountId);
                    insert.setObject(11, Columns.offset(d.purgedAt));
                    insert.addBatch();
                }
                insert.executeBatch();
                // One key per statement, in statement order (pgjdbc, H2). pgjdbc's reWriteBatchedInserts would make
                // this one multi-row INSERT ... RETURNING, whose order PostgreSQL does not promise: keep it off.
                try (ResultSet ids = insert.getGeneratedKeys()) {
                    for (DeliveryEntity d : rows) {
                        if (!ids.next()) {
                            throw new SQLException("fewer generated ids than raw deliveries inserted");
                        }
                        d.id = ids.getLong(1);
                    }
                }
            }
        });
    }

    /** Notes which posts' content the deliveries carry, so a post's deletion finds every copy; one JDBC batch. */
    @Transactional(Transactional.TxType.MANDATORY)
    void linkPosts(Collection<PostLink> links) {
        if (links.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO delivery_post (delivery_id, post_id) VALUES (?, ?)")) {
                for (PostLink link : links) {
                    insert.setLong(1, link.deliveryId());
                    insert.setString(2, link.postId());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }
}
