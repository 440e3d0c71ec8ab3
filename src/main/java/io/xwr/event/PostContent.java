package io.xwr.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where posts' content sits in X's payloads: not only as an event's own post, but inside others (a quote's
 * {@code quoted_status}, a repost's {@code retweeted_status}, a like's {@code favorited_status}, X Activity and
 * filtered-stream {@code includes.tweets}). A post object is any object with an id and text (v1.1 or v2 shape);
 * a deletion notice ({@code {"status":{"id","user_id"}}}) and user objects carry no text and are not posts.
 */
public final class PostContent {
    /** Fields only a post object has: v1.1 {@code text}/{@code full_text}/{@code extended_tweet}, v2 notes and edits. */
    private static final List<String> CONTENT_FIELDS =
            List.of("text", "full_text", "extended_tweet", "note_tweet", "edit_history_tweet_ids");

    private PostContent() {}

    /** The ids of every post whose content the payload carries, at any depth. */
    public static Set<String> postIds(JsonNode root) {
        Set<String> ids = new LinkedHashSet<>();
        walk(root, node -> {
            String id = postId(node);
            if (id != null) {
                ids.add(id);
            }
            return false;
        });
        return ids;
    }

    /**
     * The body with every object of these posts, and every repost of them, replaced by {@code marker}'s fields plus
     * the object's id fields, so that keys stay what they were and the content is gone; null when the body carries
     * none of them (or is not JSON: a body a purge already replaced whole).
     */
    public static byte[] redact(ObjectMapper mapper, byte[] body, Collection<String> posts, ObjectNode marker) {
        return rewrite(mapper, body, posts, node -> {
            String id = postId(node);
            if (id == null) {
                return false;
            }
            String original = repostOf(node);
            if (!posts.contains(id) && (original == null || !posts.contains(original))) {
                return false;
            }
            ObjectNode object = (ObjectNode) node;
            JsonNode idField = object.get("id");
            JsonNode idStr = object.get("id_str");
            object.removeAll();
            if (idField != null) {
                object.set("id", idField);
            }
            if (idStr != null) {
                object.set("id_str", idStr);
            }
            object.setAll(marker);
            return true;
        });
    }

    /**
     * The ids {@link #postIds} finds, read from the parser instead of a tree: consumes the object or array at the
     * parser's current token and builds nothing (for what a bounded read leaves out of its tree).
     */
    static void scanPosts(JsonParser parser, Set<String> into) throws IOException {
        if (parser.currentToken() == JsonToken.START_ARRAY) {
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                if (t.isStructStart()) {
                    scanPosts(parser, into);
                }
            }
            return;
        }
        Fields fields = new Fields();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            fields.field(name, parser.nextToken(), parser, into);
        }
        fields.addTo(into);
    }

    /**
     * What makes an object a post, gathered field by field as a parser reads them (the same rules as {@link
     * #postId}): for an object read from a parser, or the rest of one a bounded read began as a tree.
     */
    static final class Fields {
        private boolean content;
        private boolean idStrPresent;
        private boolean idStrIsValue;
        private String idStr;
        private boolean idPresent;
        private String id;

        Fields() {}

        /** Starts from the fields of an object already built. */
        static Fields of(ObjectNode built) {
            Fields fields = new Fields();
            for (String field : CONTENT_FIELDS) {
                fields.content |= built.has(field);
            }
            JsonNode idStr = built.get("id_str");
            if (idStr != null) {
                fields.idStrPresent = true;
                fields.idStrIsValue = idStr.isValueNode();
                fields.idStr = idText(idStr);
            }
            JsonNode id = built.get("id");
            if (id != null) {
                fields.idPresent = true;
                fields.id = idText(id);
            }
            return fields;
        }

        /** The next field, its value at the parser's current token: consumed, the posts inside it added. */
        void field(String name, JsonToken value, JsonParser parser, Set<String> into) throws IOException {
            content |= CONTENT_FIELDS.contains(name);
            String scalar = value.isScalarValue() ? scalarId(parser, value) : null;
            if (value.isStructStart()) {
                scanPosts(parser, into);
            }
            if (name.equals("id_str")) {
                idStrPresent = true;
                idStrIsValue = value.isScalarValue();
                idStr = scalar;
            } else if (name.equals("id")) {
                idPresent = true;
                id = scalar;
            }
        }

        /** Adds the object's id when it is a post's. */
        void addTo(Set<String> into) {
            String value = !content ? null : idStrPresent && idStrIsValue ? idStr : idPresent ? id : null;
            if (value != null && !value.isEmpty() && value.length() <= 19) {
                into.add(value);
            }
        }
    }

    private static String idText(JsonNode id) {
        return id.isTextual() || id.isIntegralNumber() ? id.asText() : null;
    }

    /** A scalar as {@link #idOf} takes it: text, or an integer in its canonical digits; else null. */
    private static String scalarId(JsonParser parser, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberValue().toString();
            default -> null;
        };
    }

    /** Where a post keeps its geo data: v1.1 {@code geo}, {@code coordinates}, {@code place}; v2 {@code geo}. */
    private static final List<String> GEO_FIELDS = List.of("geo", "coordinates", "place");

    /**
     * The body with the geo data of these posts' objects removed and everything else kept (X's {@code scrub_geo});
     * null when there was none to remove.
     */
    public static byte[] scrubGeo(ObjectMapper mapper, byte[] body, Collection<String> posts) {
        return rewrite(mapper, body, posts, node -> {
            String id = postId(node);
            if (id == null || !posts.contains(id)) {
                return false;
            }
            boolean removed = false;
            for (String field : GEO_FIELDS) {
                removed |= ((ObjectNode) node).remove(field) != null;
            }
            return removed;
        });
    }

    /** Applies {@code change} to every object (it answers whether it changed one); null when nothing changed. */
    private static byte[] rewrite(ObjectMapper mapper, byte[] body, Collection<String> posts, Visitor change) {
        if (posts.isEmpty()) {
            return null;
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (root == null || !root.isContainerNode()) {
            return null;
        }
        boolean[] changed = {false};
        walk(root, node -> {
            boolean done = change.visit(node);
            changed[0] |= done;
            return false;
        });
        if (!changed[0]) {
            return null;
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a parsed body could not be written again", e);
        }
    }

    /**
     * The post a repost object reposts (v1.1 {@code retweeted_status}, v2 {@code referenced_tweets} of type
     * {@code retweeted}), else null: a repost's text is the original's ("RT @author: ..."), so it goes with it.
     */
    static String repostOf(JsonNode post) {
        JsonNode original = post.get("retweeted_status");
        if (original != null && original.isObject()) {
            return idOf(original);
        }
        JsonNode referenced = post.get("referenced_tweets");
        if (referenced != null && referenced.isArray()) {
            for (JsonNode r : referenced) {
                if ("retweeted".equals(r.path("type").asText())) {
                    return idOf(r);
                }
            }
        }
        return null;
    }

    /** The id of a post object, else null. */
    static String postId(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        boolean content = false;
        for (String field : CONTENT_FIELDS) {
            if (node.has(field)) {
                content = true;
                break;
            }
        }
        return content ? idOf(node) : null;
    }

    private static String idOf(JsonNode node) {
        JsonNode id = node.get("id_str");
        if (id == null || !id.isValueNode()) {
            id = node.get("id");
        }
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
            return null;
        }
        String value = id.asText();
        return value.isEmpty() || value.length() > 19 ? null : value;
    }

    private interface Visitor {
        /** True when the node was handled: for a walk, its children need no visit; for a rewrite, it changed. */
        boolean visit(JsonNode node);
    }

    /** Depth-first without recursion: a hostile body may nest as deep as the parser allows. */
    private static void walk(JsonNode root, Visitor visitor) {
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            if (visitor.visit(node)) {
                continue;
            }
            if (node instanceof ObjectNode object) {
                for (Iterator<Map.Entry<String, JsonNode>> it =
                                object.properties().iterator();
                        it.hasNext(); ) {
                    JsonNode child = it.next().getValue();
                    if (child.isContainerNode()) {
                        todo.push(child);
                    }
                }
            } else if (node instanceof ArrayNode array) {
                for (JsonNode child : array) {
                    if (child.isContainerNode()) {
                        todo.push(child);
                    }
                }
            }
        }
    }
}
