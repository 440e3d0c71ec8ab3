package io.xwr.rawlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xwr.signature.VerifiedDelivery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The one transaction of the ack path: signed deliveries appended to the raw log, one row each, byte for byte.
 * Nothing is parsed here; the projection reads the log behind it. Only a committed delivery may be acknowledged.
 */
@ApplicationScoped
public class DeliveryRecorder {
    private final DeliveryRepository deliveries;
    private final ObjectMapper mapper;

    DeliveryRecorder(DeliveryRepository deliveries, ObjectMapper mapper) {
        this.deliveries = deliveries;
        this.mapper = mapper;
    }

    /**
     * Appends the deliveries in one transaction (group commit: one commit, one fsync, for all of them) and
     * returns their ids in the order given. Call it through {@link LogBarrier#append}.
     */
    @Transactional
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
        deliveries.appendAll(rows);
        List<Long> ids = new ArrayList<>(rows.size());
        rows.forEach(r -> ids.add(r.id));
        return ids;
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
    @Transactional
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
        deliveries.appendAll(rows);
        List<Long> ids = new ArrayList<>(rows.size());
        rows.forEach(r -> ids.add(r.id));
        return ids;
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
