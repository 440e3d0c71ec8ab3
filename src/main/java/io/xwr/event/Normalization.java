package io.xwr.event;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a delivery's bytes mean: its family, its events (several per delivery are allowed) and how far it was
 * understood.
 *
 * @param problem a short reason when the status is not {@link ParseStatus#PARSED}, else null
 * @param contentPosts every post whose content the body carries, its events' own and those inside them (quoted,
 *     reposted, liked, {@code includes}): what a post's deletion must find
 */
public record Normalization(
        ParseStatus status, Family family, List<ActivityEvent> events, String problem, Set<String> contentPosts) {
    public Normalization {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(family, "family");
        events = List.copyOf(events);
        contentPosts = Collections.unmodifiableSet(new LinkedHashSet<>(contentPosts));
    }

    /** A body that carries no post content. */
    public Normalization(ParseStatus status, Family family, List<ActivityEvent> events, String problem) {
        this(status, family, events, problem, Set.of());
    }
}
