package io.xwr.event;

import static io.xwr.event.Nodes.elements;
import static io.xwr.event.Nodes.required;
import static io.xwr.event.Nodes.text;
import static io.xwr.event.Nodes.timestamp;

import com.fasterxml.jackson.databind.JsonNode;
import io.xwr.event.ActivityEvent.MatchingRule;
import java.util.ArrayList;
import java.util.List;

/** Filtered-stream webhook posts (spec 9.2): a v2 post in {@code data} and the rules it matched; key {@code stream:{id}}. */
final class StreamNormalizer {

    List<ActivityEvent> normalize(JsonNode envelope) {
        List<MatchingRule> rules = new ArrayList<>();
        for (JsonNode rule : envelope.path("matching_rules")) {
            rules.add(new MatchingRule(text(rule, "id"), text(rule, "tag")));
        }
        List<ActivityEvent> events = new ArrayList<>();
        for (JsonNode post : elements(envelope.path("data"))) {
            events.add(Elements.guard(Family.STREAM, text(post, "author_id"), "filtered_stream", envelope, e -> {
                String id = required(post, "id");
                String author = text(post, "author_id");
                String noteText = text(post, "note_tweet", "text");
                return new ActivityEvent.StreamPostMatched(
                        new EventMeta(
                                EventKey.of("stream", id),
                                Family.STREAM,
                                author,
                                timestamp(post.path("created_at")),
                                "filtered_stream",
                                envelope),
                        id,
                        author,
                        noteText != null ? noteText : text(post, "text"),
                        rules);
            }));
        }
        return events;
    }
}
