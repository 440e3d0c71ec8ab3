package io.xwr.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

    public ObjectNode tree(ActivityEvent event) {
        ObjectNode root = mapper.createObjectNode();
        root.put("key", event.key().value());
        root.put("type", event.type());
        root.put("family", event.family().name());
        root.put("accountId", event.accountId());
        root.put(
                "occurredAt",
                event.occurredAt() == null ? null : event.occurredAt().toString());
        root.put("sourceType", event.sourceType());
        ObjectNode data = mapper.valueToTree(event);
        root.set("data", data);
        root.set("source", event.meta().source());
        return root;
    }

    public String write(ActivityEvent event) {
        return tree(event).toString();
    }
}
