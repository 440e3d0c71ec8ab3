package io.xwr.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A signed delivery exactly as received. */
@Entity
@Table(name = "raw_delivery")
class DeliveryEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "received_at", nullable = false)
    Instant receivedAt;

    @Column(name = "body", nullable = false)
    byte[] body;

    @Column(name = "body_sha256", nullable = false, length = 64)
    String bodySha256;

    @Column(name = "headers", nullable = false)
    String headers;

    @Column(name = "secret_fingerprint", nullable = false, length = 16)
    String secretFingerprint;

    /** Columns of deliveries stored before the projection ran behind the log (V7); null since. */
    @Column(name = "family", length = 16)
    String family;

    @Column(name = "parse_status", length = 16)
    String parseStatus;

    @Column(name = "parse_problem", length = 500)
    String parseProblem;

    @Column(name = "event_count")
    Integer eventCount;

    /** The account the delivery was for (its first content event's), so a revocation finds it. */
    @Column(name = "account_id", length = 64)
    String accountId;

    @Column(name = "purged_at")
    Instant purgedAt;
}
