package io.xwr.event;

import java.util.List;
import java.util.Objects;

/**
 * What X's developer policy requires us to erase: a deleted post wherever it was delivered, a revoking user's
 * content, or a post's geo data. An erasure event itself carries only ids and is never erased.
 */
public record Erasure(Kind kind, String subjectId) {
    /** The types of the events that request an erasure: they carry ids only and are never erased themselves. */
    public static final List<String> EVENT_TYPES =
            List.of(ActivityEvent.PostDeleted.TYPE, ActivityEvent.AppAccessRevoked.TYPE);

    public enum Kind {
        /** Every stored copy of the post's content. */
        POST,
        /** Everything delivered for the user up to the revocation. */
        USER,
        /** Only the post's geo data, wherever the post is stored (X's batch compliance answer {@code scrub_geo}). */
        GEO
    }

    public Erasure {
        Objects.requireNonNull(kind, "kind");
        if (subjectId == null || subjectId.isBlank()) {
            throw new IllegalArgumentException("an erasure names a post or user id");
        }
    }
}
