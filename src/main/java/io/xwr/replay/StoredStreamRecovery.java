package io.xwr.replay;

import java.time.Instant;

/**
 * A gap's window read back from the filtered stream's connection API: how far it was read, and how many posts.
 *
 * @param state {@code READING}, {@code DONE}, or {@code LOST} (the window left X's 24 hours before it was read)
 */
public record StoredStreamRecovery(
        long id,
        long gapId,
        Instant windowFrom,
        Instant windowTo,
        Instant readUpTo,
        String state,
        int postsRead,
        String note,
        Instant updatedAt) {}
