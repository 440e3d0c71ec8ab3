package io.xwr.compliance;

import io.xwr.event.ActivityEvent;
import io.xwr.event.Erasure;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The purges a delivery runs into: content they cover is stored purged, however often X sends it again. */
public record Tombstones(List<Tombstone> all) {
    static final Tombstones NONE = new Tombstones(List.of());

    public Tombstones {
        all = List.copyOf(all);
    }

    /** One purge: a post for ever; a user for what happened up to the revocation. */
    public record Tombstone(long purgeId, Erasure.Kind kind, String subjectId, PurgeReason reason, Instant at) {}

    /** The purge that covers this event, or null; an erasure announcement is never covered. */
    public Tombstone covering(ActivityEvent event) {
        if (event.erasure() != null) {
            return null;
        }
        for (Tombstone t : all) {
            boolean post = t.kind() == Erasure.Kind.POST
                    && (t.subjectId().equals(event.contentPostId())
                            || t.subjectId().equals(event.originPostId()));
            boolean user = t.kind() == Erasure.Kind.USER
                    && t.subjectId().equals(event.accountId())
                    && (event.occurredAt() == null || !event.occurredAt().isAfter(t.at()));
            if (post || user) {
                return t;
            }
        }
        return null;
    }

    /**
     * The post purges (whole posts, or their geo data only) among these posts: what must be cut out of a body that
     * carries them.
     */
    public List<Tombstone> posts(Collection<String> postIds) {
        return all.stream()
                .filter(t -> t.kind() != Erasure.Kind.USER && postIds.contains(t.subjectId()))
                .toList();
    }
}
