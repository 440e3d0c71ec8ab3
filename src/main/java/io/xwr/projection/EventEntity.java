package io.xwr.projection;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One distinct domain event; inserted through {@link EventRepository#insertIfAbsent}, read through Panache. */
@Entity
@Table(name = "activity_event")
class EventEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "event_key", nullable = false, length = 512, unique = true)
    String eventKey;

    @Column(name = "delivery_id")
    Long deliveryId;

    @Column(name = "family", nullable = false, length = 16)
    String family;

    @Column(name = "event_type", nullable = false, length = 64)
    String eventType;

    @Column(name = "source_type", nullable = false, length = 128)
    String sourceType;

    @Column(name = "account_id", length = 64)
    String accountId;

    @Column(name = "occurred_at")
    Instant occurredAt;

    @Column(name = "recorded_at", nullable = false)
    Instant recordedAt;

    @Column(name = "payload", nullable = false)
    String payload;

    /** The post whose content the event carries, so the post's deletion finds it. */
    @Column(name = "post_id", length = 19)
    String postId;

    /** A second post whose content the event carries (a repost's original), so that post's deletion finds it too. */
    @Column(name = "origin_post_id", length = 19)
    String originPostId;

    @Column(name = "purged_at")
    Instant purgedAt;
}
