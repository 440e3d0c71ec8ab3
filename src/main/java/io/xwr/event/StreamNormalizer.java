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

    void normalize(JsonNode envelope, EventBudget events) {
        List<JsonNode> posts = elements(envelope.path("data"));
        // Every post carries the envelope's rules: X sends one post, so posts x rules stays within the budget.
        int ruleRoom = Math.max(1, events.max() / Math.max(1, posts.size()));
        List<MatchingRule> rules = new ArrayList<>();
        for (JsonNode rule : envelope.path("matching_rules")) {
            if (rules.size() >= ruleRoom) {
                events.skip();
                continue;
            }
            rules.add(new MatchingRule(text(rule, "id"), text(rule, "tag")));
        }
        for (JsonNode post : posts) {
            if (events.full()) {
                events.skip();
                continue;
            }
            // The post alone is the event's source: the envelope (includes, every other post) stays in the raw
            // delivery, so a body of many posts costs one copy, not one per post.
            events.add(Elements.guard(Family.STREAM, text(post, "author_id"), "filtered_stream", post, e -> {
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
                                post),
                        id,
                        author,
                        noteText != null ? noteText : text(post, "text"),
                        rules);
            }));
        }
    }
}
