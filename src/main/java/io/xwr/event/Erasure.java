package io.xwr.event;

import java.util.Objects;

/**
 * What X's developer policy requires us to erase: a deleted post wherever it was delivered, or a revoking user's
 * content. An erasure event itself carries only ids and is never erased.
 */
public record Erasure(Kind kind, String subjectId) {
    public enum Kind {
        /** Every stored copy of the post's content. */
        POST,
        /** Everything delivered for the user up to the revocation. */
        USER
    }

    public Erasure {
        Objects.requireNonNull(kind, "kind");
        if (subjectId == null || subjectId.isBlank()) {
            throw new IllegalArgumentException("an erasure names a post or user id");
        }
    }
}
