package io.xwr.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The JSON form of an event: the common header ({@code key}, {@code type}, {@code family}, {@code accountId},
 * {@code occurredAt}, {@code sourceType}) and the record's own facts under {@code data}, as stored; as published,
 * also X's original object under {@code source} and what the delivery carries around it under {@code envelope},
 * taken at publish time from the raw delivery (content is stored once, so a purge of the delivery reaches what is
 * published after it).
 */
public final class EventJson {
    private final ObjectMapper mapper;

    public EventJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The stored form, streamed in one pass: no intermediate tree of the record. */
    public String write(ActivityEvent event) {
        return write(event, false);
    }

    /** The published form, with X's object as the normalizer read it now (tests and tools). */
    public String writeWithSource(ActivityEvent event) {
        return write(event, true);
    }

    /**
     * The published form from the stored one, as the UTF-8 bytes a record carries: {@code source} (and {@code
     * envelope}, when there is one), each already written as JSON by {@link #bytes}, appended to the stored object.
     * A stored form that is not a plain event object (a purge's marker) is published as it is.
     */
    public static byte[] published(String stored, byte[] source, byte[] envelope) {
        String trimmed = stored.stripTrailing();
        if (!trimmed.startsWith("{\"key\"") || !trimmed.endsWith("}")) {
            return stored.getBytes(StandardCharsets.UTF_8);
        }
        byte[] head = trimmed.substring(0, trimmed.length() - 1).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                head.length + 32 + (source == null ? 4 : source.length) + (envelope == null ? 0 : envelope.length));
        out.writeBytes(head);
        out.writeBytes(SOURCE);
        out.writeBytes(source == null ? NULL : source);
        if (envelope != null) {
            out.writeBytes(ENVELOPE);
            out.writeBytes(envelope);
        }
        out.write('}');
        return out.toByteArray();
    }

    private static final byte[] SOURCE = ",\"source\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENVELOPE = ",\"envelope\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    /** X's object (or what surrounds it) as published: compact JSON in UTF-8; null for none. */
    public byte[] bytes(JsonNode node) {
        if (node == null) {
            return null;
        }
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException("source not serializable", e);
        }
    }

    /**
     * The stored form of a filtered-stream post with the rules of a later match added (X delivers a post once per
     * link; the same post matched through another link names other rules): the union by rule id, the first-seen
     * rules first. Null when nothing is new or the stored form is not a stream post (a purge's marker).
     */
    public String withMoreRules(String stored, List<ActivityEvent.MatchingRule> more) {
        try {
            JsonNode root = mapper.readTree(stored);
            JsonNode rules = root.path("data").path("rules");
            if (!"stream.post.matched".equals(root.path("type").asText()) || !rules.isArray()) {
                return null;
            }
            Set<String> known = new HashSet<>();
            rules.forEach(r -> known.add(r.path("id").asText()));
            boolean added = false;
            for (ActivityEvent.MatchingRule rule : more) {
                if (rule.id() != null && known.add(rule.id())) {
                    ((ArrayNode) rules).add(mapper.valueToTree(rule));
                    added = true;
                }
            }
            return added ? mapper.writeValueAsString(root) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private String write(ActivityEvent event, boolean withSource) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("key", event.key().value());
            g.writeStringField("type", event.type());
            g.writeStringField("family", event.family().name());
            g.writeStringField("accountId", event.accountId());
            g.writeStringField(
                    "occurredAt",
                    event.occurredAt() == null ? null : event.occurredAt().toString());
            g.writeStringField("sourceType", event.sourceType());
            g.writeFieldName("data");
            mapper.writeValue(g, event);
            if (withSource) {
                g.writeFieldName("source");
                JsonNode source = event.meta().source();
                if (source == null) {
                    g.writeNull();
                } else {
                    mapper.writeTree(g, source);
                }
                if (event.meta().envelope() != null) {
                    g.writeFieldName("envelope");
                    mapper.writeTree(g, event.meta().envelope());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("event not serializable: " + event.type(), e);
        }
        return out.toString();
    }
}
