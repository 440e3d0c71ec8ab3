package io.xwr.rawlog;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.xwr.store.Columns;
import io.xwr.store.MultiRowInsert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/** Raw deliveries. */
@ApplicationScoped
public class DeliveryRepository implements PanacheRepository<DeliveryEntity> {

    /** A delivery carrying a post's content; the receipt time places the link in its delivery's partition. */
    public record PostLink(long deliveryId, Instant receivedAt, String postId) {}

    /** A delivery carrying an account's activity; the receipt time places the link in its delivery's partition. */
    public record AccountLink(long deliveryId, Instant receivedAt, String accountId) {}

    /**
     * A delivery whose content a purge covers: its body becomes {@code body}, either the purge's marker in place of
     * all of it ({@code whole}: a revoking user's delivery) or the same JSON with the purged posts' objects
     * replaced by markers (a deleted post inside it), which stays readable for its other events.
     */
    public record BodyPurge(long deliveryId, byte[] body, boolean whole) {}

    private static final MultiRowInsert<DeliveryEntity> RAW = new MultiRowInsert<>(
            "raw_delivery", List.of("received_at", "body", "body_sha256", "headers", "secret_fingerprint"), "");

    private static final MultiRowInsert<PostLink> LINKS = new MultiRowInsert<>(
            "delivery_post", List.of("delivery_id", "received_at", "post_id"), "ON CONFLICT DO NOTHING");

    /** A delivery projected again (a re-projection) finds its links there already. */
    private static final MultiRowInsert<AccountLink> ACCOUNTS = new MultiRowInsert<>(
            "delivery_account", List.of("delivery_id", "received_at", "account_id"), "ON CONFLICT DO NOTHING");

    private final LogBarrier barrier;

    DeliveryRepository(LogBarrier barrier) {
        this.barrier = barrier;
    }

    /** The generated id, and the columns that tell which row it was generated for. */
    private static final String[] RETURNED = {"id", "body_sha256", "headers"};

    /**
     * Inserts raw deliveries with multi-row inserts and sets their ids (a group-commit batch is one statement,
     * where persisting them one by one would cost a round trip each: an identity id is known only after it), on
     * the connection of the caller's transaction, inside the {@link LogBarrier}.
     */
    void appendAll(Connection connection, List<DeliveryEntity> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        barrier.enter(connection);
        RAW.execute(
                connection,
                rows,
                DeliveryRepository::bindRaw,
                RETURNED,
                (keys, from, n) -> assignIds(keys, rows.subList(from, from + n)));
    }

    /**
     * Gives each row its generated id by content, not by position: PostgreSQL returns a multi-row insert's rows in
     * insert order in practice but does not promise it. Rows equal in body hash and headers are the same delivery
     * twice (X's signature is in the headers), so which of them gets which id changes nothing.
     */
    private static void assignIds(ResultSet keys, List<DeliveryEntity> chunk) throws SQLException {
        Map<String, Deque<DeliveryEntity>> waiting = new HashMap<>();
        for (DeliveryEntity d : chunk) {
            waiting.computeIfAbsent(d.bodySha256 + '\n' + d.headers, k -> new ArrayDeque<>())
                    .add(d);
        }
        int assigned = 0;
        while (keys.next()) {
            Deque<DeliveryEntity> same = waiting.get(keys.getString(2) + '\n' + keys.getString(3));
            DeliveryEntity d = same == null ? null : same.poll();
            if (d == null) {
                throw new SQLException("a generated raw delivery id matches no inserted row");
            }
            d.id = keys.getLong(1);
            assigned++;
        }
        if (assigned != chunk.size()) {
            throw new SQLException("fewer generated ids (" + assigned + ") than raw deliveries inserted");
        }
    }

    /** Notes which posts' content the deliveries carry, so a post's deletion finds every copy. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void linkPosts(List<PostLink> links) {
        if (links.isEmpty()) {
            return;
        }
        getEntityManager()
                .unwrap(Session.class)
                .doWork(connection -> LINKS.execute(connection, links, (insert, p, link) -> {
                    insert.setLong(p, link.deliveryId());
                    insert.setObject(p + 1, Columns.offset(link.receivedAt()));
                    insert.setString(p + 2, link.postId());
                }));
    }

    /** Notes every account a delivery carries, so a user's purge finds each of them. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void linkAccounts(List<AccountLink> links) {
        if (links.isEmpty()) {
            return;
        }
        getEntityManager()
                .unwrap(Session.class)
                .doWork(connection -> ACCOUNTS.execute(connection, links, (insert, p, link) -> {
                    insert.setLong(p, link.deliveryId());
                    insert.setObject(p + 1, Columns.offset(link.receivedAt()));
                    insert.setString(p + 2, link.accountId());
                }));
    }

    /**
     * Replaces the bodies of deliveries a purge covers (rare: content delivered after a purge); only a body
     * replaced whole is marked purged.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void purgeBodies(List<BodyPurge> purges, java.time.Instant now) {
        if (purges.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement update =
                    connection.prepareStatement("UPDATE raw_delivery SET body = ?, purged_at = ?,"
                            + " body_revision = body_revision + 1 WHERE id = ?")) {
                for (BodyPurge purge : purges) {
                    Columns.bytes(update, 1, purge.body());
                    update.setObject(2, purge.whole() ? Columns.offset(now) : null);
                    update.setLong(3, purge.deliveryId());
                    update.addBatch();
                }
                update.executeBatch();
            }
        });
    }

    private static void bindRaw(PreparedStatement insert, int p, DeliveryEntity d) throws SQLException {
        insert.setObject(p, Columns.offset(d.receivedAt));
        Columns.bytes(insert, p + 1, d.body);
        insert.setString(p + 2, d.bodySha256);
        insert.setString(p + 3, d.headers);
        insert.setString(p + 4, d.secretFingerprint);
    }
}
