package io.xwr.rawlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xwr.signature.VerifiedDelivery;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;

/**
 * The one transaction of the ack path: signed deliveries appended to the raw log, one row each, byte for byte.
 * Nothing is parsed here; the projection reads the log behind it. Only a committed delivery may be acknowledged.
 * A local JDBC transaction, not a JTA one: it touches one table through one connection, and the transaction
 * manager's and the ORM session's work per batch cost the writer threads more than the insert itself did.
 */
@ApplicationScoped
public class DeliveryRecorder {
    private final DeliveryRepository deliveries;
    private final DataSource dataSource;
    private final ObjectMapper mapper;

    DeliveryRecorder(DeliveryRepository deliveries, DataSource dataSource, ObjectMapper mapper) {
        this.deliveries = deliveries;
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /**
     * Appends the deliveries in one transaction (group commit: one commit, one fsync, for all of them) and
     * returns their ids in the order given. Call it through {@link LogBarrier#append}, outside any transaction.
     */
    public List<Long> appendAll(List<VerifiedDelivery> verified) {
        List<DeliveryEntity> rows = new ArrayList<>(verified.size());
        for (VerifiedDelivery delivery : verified) {
            DeliveryEntity row = new DeliveryEntity();
            row.receivedAt = delivery.receivedAt();
            row.body = delivery.body();
            // The signature was checked on these bytes; a purge may replace them, the hash still proves them.
            row.bodySha256 = sha256Hex(delivery.body());
            row.headers = json(delivery);
            row.secretFingerprint = delivery.secretFingerprint();
            rows.add(row);
        }
        return append(rows);
    }

    /**
     * What stands in the secret fingerprint of a body X did not push but this service fetched from X's API with
     * its bearer token over TLS (stream recovery): not signed, but from X.
     */
    public static final String FETCHED = "x-api-fetched";

    /**
     * Appends bodies fetched from X's API (stream recovery) to the log like deliveries, so the projection reads
     * them the same way and drops what is already stored by key. Call it through {@link LogBarrier#append}.
     */
    public List<Long> appendFetched(List<byte[]> bodies, String source, java.time.Instant receivedAt) {
        List<DeliveryEntity> rows = new ArrayList<>(bodies.size());
        for (byte[] body : bodies) {
            DeliveryEntity row = new DeliveryEntity();
            row.receivedAt = receivedAt;
            row.body = body;
            row.bodySha256 = sha256Hex(body);
            row.headers = "{\"x-xwr-source\":\"" + source.replaceAll("[^a-z-]", "") + "\"}";
            row.secretFingerprint = FETCHED;
            rows.add(row);
        }
        return append(rows);
    }

    /** The rows in one local transaction on a connection of the pool; their ids in the order given. */
    private List<Long> append(List<DeliveryEntity> rows) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                deliveries.appendAll(connection, rows);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new NotAppended(e);
        }
        List<Long> ids = new ArrayList<>(rows.size());
        rows.forEach(r -> ids.add(r.id));
        return ids;
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e); // the connection is likely gone; the pool discards it
        }
    }

    /** The database refused or lost the append; the cause is the driver's, so its SQLState tells which. */
    public static final class NotAppended extends RuntimeException {
        NotAppended(SQLException cause) {
            super("raw log append failed: SQLState " + cause.getSQLState(), cause);
        }
    }

    private String json(VerifiedDelivery delivery) {
        try {
            return mapper.writeValueAsString(delivery.headers());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("headers not serializable", e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
