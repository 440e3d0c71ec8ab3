package io.xwr.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading X's JSON defensively: exact 64-bit ids, its four time formats, canonical hashes. */
final class Nodes {
    private Nodes() {}

    /**
     * The exact text of an id or string field, or null. Integral numbers keep every digit (Jackson reads them
     * as long or BigInteger); a floating-point number is never an id, so it is refused rather than rounded.
     */
    static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isIntegralNumber() || n.isBoolean()) {
            return n.asText();
        }
        return null;
    }

    /**
     * X's v1.1 payloads (AAA) escape text the HTML way: {@code &amp;}, {@code &lt;} and {@code &gt;} (spec 7.1,
     * observed in DMs and posts). The normalized text is what the user wrote; the raw delivery keeps X's bytes.
     * {@code &amp;} last, so an escaped entity ({@code &amp;lt;}) comes out as the text the user typed.
     */
    static String unescapeHtml(String text) {
        if (text == null || text.indexOf('&') < 0) {
            return text;
        }
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** Like {@link #text} but required: a missing value makes the element unknown. */
    static String required(JsonNode node, String... path) {
        String value = text(node, path);
        if (value == null || value.isEmpty()) {
            throw new MissingField(String.join(".", path));
        }
        return value;
    }

    /** A user object's id: {@code id_str} when present, else {@code id} (a string in follow events). */
    static String userId(JsonNode user) {
        JsonNode u = unwrap(user);
        String idStr = text(u, "id_str");
        return idStr != null ? idStr : text(u, "id");
    }

    /** XAA wraps users as {@code {"data": {...}}} in some payloads and not in others; accept both. */
    static JsonNode unwrap(JsonNode node) {
        JsonNode data = node.path("data");
        return data.isObject() ? data : node;
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n.path(p);
        }
        return n;
    }

    /** Times X can mean: from the epoch to the end of year 9999 (beyond, databases refuse them). */
    private static final Instant EARLIEST = Instant.EPOCH;

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** Epoch milliseconds given as number or string; null when absent, not a number or not a plausible time. */
    static Instant epochMillis(JsonNode node) {
        try {
            if (node.isIntegralNumber()) {
                return plausible(Instant.ofEpochMilli(node.longValue()));
            }
            if (node.isTextual() && !node.textValue().isBlank()) {
                return plausible(
                        Instant.ofEpochMilli(Long.parseLong(node.textValue().trim())));
            }
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
        return null;
    }

    /** ISO-8601 with offset ({@code 2026-08-12T18:00:00.000Z}, {@code 2018-05-24T09:48:12+00:00}) or v1.1. */
    static Instant timestamp(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        Instant t = XTimes.parse(node.textValue());
        return t == null ? null : plausible(t);
    }

    private static Instant plausible(Instant t) {
        return t.isBefore(EARLIEST) || t.isAfter(LATEST) ? null : t;
    }

    /** The first non-null of several candidate times. */
    static Instant firstTime(Instant... candidates) {
        for (Instant candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    /** Elements of an array, or the node itself when X sent a single object where an array was expected. */
    static List<JsonNode> elements(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else if (!node.isMissingNode() && !node.isNull()) {
            out.add(node);
        }
        return out;
    }

    /** How much an event may carry from around it (its {@code envelope}) before only a note says it was left out. */
    static final int ENVELOPE_MAX_CHARS = 64 * 1024;

    /**
     * The envelope as it is, or, past {@link #ENVELOPE_MAX_CHARS} (roughly: names and values counted, stopping once
     * over), a note: one delivery's side objects must not be copied into every one of its thousand events.
     */
    static JsonNode bounded(JsonNode envelope) {
        if (envelope == null) {
            return null;
        }
        long size = 0;
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(envelope);
        while (!todo.isEmpty() && size <= ENVELOPE_MAX_CHARS) {
            JsonNode node = todo.pop();
            size += 8;
            if (node.isValueNode()) {
                size += node.asText().length();
            } else if (node.isArray()) {
                node.forEach(todo::push);
            } else {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    size += field.getKey().length();
                    todo.push(field.getValue());
                }
            }
        }
        if (size <= ENVELOPE_MAX_CHARS) {
            return envelope;
        }
        return JsonNodeFactory.instance
                .objectNode()
                .put("omitted", "larger than " + ENVELOPE_MAX_CHARS + " characters; the raw delivery keeps it");
    }

    /** Every string and integer value in the tree (ids, as X writes them either way), without recursion. */
    static Set<String> textValues(JsonNode root) {
        Set<String> values = new HashSet<>();
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            if (node.isTextual() || node.isIntegralNumber()) {
                values.add(node.asText());
            } else if (node.isContainerNode()) {
                node.forEach(todo::push);
            }
        }
        return values;
    }

    /** SHA-256 hex of a canonical form (object keys sorted), so formatting never changes the hash. */
    static String canonicalHash(JsonNode node) {
        StringBuilder out = new StringBuilder();
        canonical(node, out);
        return sha256Hex(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static void canonical(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            Iterator<String> it = node.fieldNames();
            it.forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(quote(names.get(i))).append(':');
                canonical(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            out.append(quote(node.textValue()));
        } else {
            out.append(node.asText());
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A field an event type cannot do without; the element becomes an {@code UnknownActivity}. */
    static final class MissingField extends RuntimeException {
        MissingField(String field) {
            super("missing " + field, null, false, false);
        }
    }
}
