package io.xwr.compliance;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A purge and its audit (see {@link Purges}); never holds purged content. */
@Entity
@Table(name = "purge")
class PurgeEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "kind", nullable = false, length = 8)
    String kind;

    @Column(name = "subject_id", nullable = false, length = 64)
    String subjectId;

    @Column(name = "reason", nullable = false, length = 16)
    String reason;

    @Column(name = "note", length = 500)
    String note;

    @Column(name = "requested_at", nullable = false)
    Instant requestedAt;

    @Column(name = "done_at")
    Instant doneAt;

    @Column(name = "events_purged")
    Integer eventsPurged;

    @Column(name = "deliveries_purged")
    Integer deliveriesPurged;

    @Column(name = "outbox_purged")
    Integer outboxPurged;
}
