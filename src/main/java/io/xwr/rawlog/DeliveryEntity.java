package io.xwr.rawlog;

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
public class DeliveryEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "body", nullable = false)
    public byte[] body;

    @Column(name = "body_sha256", nullable = false, length = 64)
    public String bodySha256;

    @Column(name = "headers", nullable = false)
    public String headers;

    @Column(name = "secret_fingerprint", nullable = false, length = 16)
    public String secretFingerprint;

    /** Columns of deliveries stored before the projection ran behind the log (V7); null since. */
    @Column(name = "family", length = 16)
    public String family;

    @Column(name = "parse_status", length = 16)
    public String parseStatus;

    @Column(name = "parse_problem", length = 500)
    public String parseProblem;

    @Column(name = "event_count")
    public Integer eventCount;

    /** The account the delivery was for (its first content event's), so a revocation finds it. */
    @Column(name = "account_id", length = 64)
    public String accountId;

    @Column(name = "purged_at")
    public Instant purgedAt;
}
