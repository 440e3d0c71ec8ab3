package io.xwr.event;

import static io.xwr.event.Nodes.elements;
import static io.xwr.event.Nodes.required;
import static io.xwr.event.Nodes.text;
import static io.xwr.event.Nodes.timestamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xwr.event.ActivityEvent.MatchingRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Filtered-stream webhook posts (spec 9.2): a v2 post in {@code data} and the rules it matched; key {@code stream:{id}}. */
final class StreamNormalizer {

    /** A number X may write as a number or a string; null when absent or not a number. */
    private static Double number(JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            try {
                return Double.valueOf(value.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** The includes by kind and by id ({@code media_key} for media), read once per delivery. */
    private static Map<String, Map<String, JsonNode>> expansions(JsonNode includes) {
        Map<String, Map<String, JsonNode>> byKind = new LinkedHashMap<>();
        if (!includes.isObject()) {
            return byKind;
        }
        includes.properties().forEach(kind -> {
            Map<String, JsonNode> byId = new HashMap<>();
            for (JsonNode item : elements(kind.getValue())) {
                String id = text(item, "media_key") != null ? text(item, "media_key") : text(item, "id");
                if (id != null) {
                    byId.putIfAbsent(id, item);
                }
            }
            byKind.put(kind.getKey(), byId);
        });
        return byKind;
    }

    /**
     * What a post carries from around it: the expansions it refers to (its author, the posts it quotes or answers,
     * its media, place and poll), not every post's, and the rules it matched, as X sent them.
     */
    private static JsonNode around(JsonNode post, Map<String, Map<String, JsonNode>> expansions, ArrayNode rules) {
        ObjectNode around = JsonNodeFactory.instance.objectNode();
        if (!expansions.isEmpty()) {
            Set<String> referenced = Nodes.textValues(post);
            ObjectNode includes = JsonNodeFactory.instance.objectNode();
            expansions.forEach((kind, byId) -> {
                ArrayNode picked = JsonNodeFactory.instance.arrayNode();
                for (String id : referenced) {
                    JsonNode item = byId.get(id);
                    if (item != null) {
                        picked.add(item);
                    }
                }
                if (!picked.isEmpty()) {
                    includes.set(kind, picked);
                }
            });
            if (!includes.isEmpty()) {
                around.set("includes", includes);
            }
        }
        if (!rules.isEmpty()) {
            around.set("matching_rules", rules);
        }
        return around.isEmpty() ? null : Nodes.bounded(around);
    }

    /** The versions an edited post supersedes: its edit history without itself (X lists oldest first). */
    private static List<String> earlierVersions(JsonNode post, String id) {
        List<String> earlier = new ArrayList<>();
        for (JsonNode version : post.path("edit_history_tweet_ids")) {
            String v = version.asText("");
            if (!v.isEmpty() && !v.equals(id) && earlier.size() < 100) {
                earlier.add(v);
            }
        }
        return earlier;
    }

    void normalize(JsonNode envelope, EventBudget events) {
        List<JsonNode> posts = elements(envelope.path("data"));
        // Every post carries the envelope's rules: X sends one post, so posts x rules stays within the budget.
        int ruleRoom = Math.max(1, events.max() / Math.max(1, posts.size()));
        List<MatchingRule> rules = new ArrayList<>();
        ArrayNode ruleObjects = JsonNodeFactory.instance.arrayNode();
        for (JsonNode rule : envelope.path("matching_rules")) {
            if (rules.size() >= ruleRoom) {
                events.skip();
                continue;
            }
            rules.add(new MatchingRule(
                    text(rule, "id"),
                    text(rule, "tag"),
                    number(rule.path("embedding_similarity")),
                    number(rule.path("embedding_threshold"))));
            ruleObjects.add(rule); // every field X sent, those the record does not model too
        }
        Map<String, Map<String, JsonNode>> expansions = expansions(envelope.path("includes"));
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
                                post,
                                around(post, expansions, ruleObjects)),
                        id,
                        author,
                        noteText != null ? noteText : text(post, "text"),
                        rules,
                        earlierVersions(post, id));
            }));
        }
    }
}
