package io.xwr.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The JSON form of an event, as stored and published: the common header ({@code key}, {@code type}, {@code
 * family}, {@code accountId}, {@code occurredAt}, {@code sourceType}), the record's own facts under {@code
 * data}, and X's original object under {@code source}.
 */
public final class EventJson {
    private final ObjectMapper mapper;

    public EventJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Streamed in one pass, once per stored event: no intermediate tree of the record or of X's object. */
    public String write(ActivityEvent event) {
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
            g.writeFieldName("source");
            JsonNode source = event.meta().source();
            if (source == null) {
                g.writeNull();
            } else {
                mapper.writeTree(g, source);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("event not serializable: " + event.type(), e);
        }
        return out.toString();
    }
}
