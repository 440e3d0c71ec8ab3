package io.xwr.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * What every domain event carries besides its own facts: its key, where it came from, whose order it belongs
 * to, when it happened, and X's original object so that consumers lose nothing the record does not model.
 *
 * @param accountId the account whose order the event belongs to (the subscribed user, the post author for
 *     stream posts, the webhook for replay status); null when X names none
 * @param occurredAt the event's own time when the payload carries one, else null
 * @param sourceType what X called it, e.g. {@code tweet_create_events} or {@code post.mention.create}
 * @param source X's original event object
 * @param envelope what the delivery carries around the event that concerns it, as X sent it (AAA: the {@code
 *     users} and {@code apps} it refers to, the mention flags; filtered stream: {@code includes} and {@code
 *     matching_rules}); null when there is nothing
 */
public record EventMeta(
        EventKey key,
        Family family,
        String accountId,
        Instant occurredAt,
        String sourceType,
        JsonNode source,
        JsonNode envelope) {
    public EventMeta {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(sourceType, "sourceType");
        Objects.requireNonNull(source, "source");
    }

    /** An event whose source is all X sent about it. */
    public EventMeta(
            EventKey key, Family family, String accountId, Instant occurredAt, String sourceType, JsonNode source) {
        this(key, family, accountId, occurredAt, sourceType, source, null);
    }
}
