package io.xwr.event;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON Schema (2020-12) of each event type's published value, generated from its record: the common header,
 * {@code data} with exactly the record's components (a component is nullable unless its constructor refuses null),
 * {@code source} and {@code envelope} as X sent them; or, once purged, the purge's marker; or, deleted by retention
 * before it was published, its key and {@code expired}. {@code docs/schemas/}
 * holds the output; {@code EventSchemasTest} keeps it equal to this.
 */
final class EventSchemas {
    static final String BASE = "https://raw.githubusercontent.com/example/x-webhook-receiver/main/docs/schemas/";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private EventSchemas() {}

    static List<Class<?>> records() {
        return Arrays.asList(ActivityEvent.class.getPermittedSubclasses());
    }

    /** The event type of a record, from an instance built with placeholder values (type() reads nothing else). */
    static String typeOf(Class<?> record) {
        return ((ActivityEvent) instance(record, -1)).type();
    }

    static ObjectNode schema(Class<?> record) {
        String type = typeOf(record);
        ObjectNode schema = JSON.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$id", BASE + type + ".json");
        schema.put("title", type);
        schema.put(
                "description",
                "The value of a Kafka record whose ce_type ends in ." + type
                        + ": the event; only the purge's marker once X's rules removed its content; or only its key"
                        + " when retention deleted it before it was published.");
        ArrayNode oneOf = schema.putArray("oneOf");
        oneOf.addObject().put("$ref", "#/$defs/event");
        oneOf.addObject().put("$ref", "#/$defs/purged");
        oneOf.addObject().put("$ref", "#/$defs/expired");
        ObjectNode defs = schema.putObject("$defs");
        defs.set("event", event(record, type, defs));
        defs.set("purged", purged());
        defs.set("expired", expired());
        return schema;
    }

    private static ObjectNode event(Class<?> record, String type, ObjectNode defs) {
        ObjectNode event = object();
        event.set("required", strings("key", "type", "family", "accountId", "occurredAt", "sourceType", "data"));
        ObjectNode p = event.putObject("properties");
        p.putObject("key").put("type", "string").put("minLength", 1).put("maxLength", EventKey.MAX_LENGTH);
        p.putObject("type").put("const", type);
        ArrayNode families = p.putObject("family").putArray("enum");
        Arrays.stream(Family.values()).forEach(f -> families.add(f.name()));
        p.putObject("accountId").set("type", strings("string", "null"));
        ObjectNode occurredAt = p.putObject("occurredAt");
        occurredAt.set("type", strings("string", "null"));
        occurredAt.put("format", "date-time");
        p.putObject("sourceType").put("type", "string");
        p.set("data", fields(record, defs));
        p.putObject("source").put("description", "X's original object for this event, unchanged (null if none).");
        p.putObject("envelope")
                .put("type", "object")
                .put("description", "What the delivery carries around the event that concerns it, as X sent it.");
        return event;
    }

    /** An object of exactly the record's components (but meta, whose facts are the header). */
    private static ObjectNode fields(Class<?> record, ObjectNode defs) {
        ObjectNode data = object();
        ArrayNode required = data.putArray("required");
        ObjectNode properties = data.putObject("properties");
        RecordComponent[] components = record.getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            if (c.getType() == EventMeta.class) {
                continue;
            }
            required.add(c.getName());
            properties.set(c.getName(), value(c.getGenericType(), refusesNull(record, i), defs));
        }
        return data;
    }

    private static ObjectNode value(Type type, boolean required, ObjectNode defs) {
        ObjectNode schema = JSON.objectNode();
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            typed(schema, "string", required);
        } else if (raw == Double.class || raw == double.class) {
            typed(schema, "number", required);
        } else if (raw == Long.class || raw == long.class || raw == Integer.class || raw == int.class) {
            typed(schema, "integer", required);
        } else if (raw == Boolean.class || raw == boolean.class) {
            typed(schema, "boolean", required);
        } else if (raw.isEnum()) {
            ArrayNode values = schema.putArray("enum");
            Arrays.stream(raw.getEnumConstants()).forEach(e -> values.add(((Enum<?>) e).name()));
            if (!required) {
                values.addNull();
            }
        } else if (raw == List.class) {
            typed(schema, "array", required);
            schema.set("items", value(((ParameterizedType) type).getActualTypeArguments()[0], true, defs));
        } else if (raw.isRecord()) {
            if (!defs.has(raw.getSimpleName())) {
                defs.set(raw.getSimpleName(), JSON.objectNode()); // placeholder first: no endless recursion
                defs.set(raw.getSimpleName(), fields(raw, defs));
            }
            schema.put("$ref", "#/$defs/" + raw.getSimpleName());
        } else {
            throw new IllegalStateException("no JSON Schema for " + type + ": teach EventSchemas this type");
        }
        return schema;
    }

    private static void typed(ObjectNode schema, String type, boolean required) {
        if (required) {
            schema.put("type", type);
        } else {
            schema.set("type", strings(type, "null"));
        }
    }

    private static ObjectNode purged() {
        ObjectNode purged = object();
        purged.set("required", strings("purged"));
        ObjectNode marker = object();
        marker.set("required", strings("purgeId", "reason"));
        marker.putObject("properties").putObject("purgeId").put("type", "integer");
        ((ObjectNode) marker.get("properties")).putObject("reason").put("type", "string");
        purged.putObject("properties").set("purged", marker);
        return purged;
    }

    /** What is left to publish of an event retention deleted before the relay came: its key and the fact. */
    private static ObjectNode expired() {
        ObjectNode expired = object();
        expired.set("required", strings("key", "expired"));
        ObjectNode p = expired.putObject("properties");
        p.putObject("key").put("type", "string");
        p.putObject("expired").put("const", true);
        return expired;
    }

    private static ObjectNode object() {
        ObjectNode object = JSON.objectNode();
        object.put("type", "object");
        object.put("additionalProperties", false);
        return object;
    }

    private static ArrayNode strings(String... values) {
        ArrayNode array = JSON.arrayNode();
        Arrays.stream(values).forEach(array::add);
        return array;
    }

    /** Whether the record's constructor refuses null for this component. */
    private static boolean refusesNull(Class<?> record, int component) {
        try {
            instance(record, component);
            return false;
        } catch (NullPointerException e) {
            return true;
        }
    }

    /** An instance with placeholder values, null for the component numbered {@code nulled} (-1: none). */
    private static Object instance(Class<?> record, int nulled) {
        RecordComponent[] components = record.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = i == nulled ? null : placeholder(components[i].getType());
        }
        Class<?>[] types =
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return record.getDeclaredConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof NullPointerException npe) {
                throw npe;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object placeholder(Class<?> type) {
        if (type == String.class) {
            return "1";
        }
        if (type == List.class) {
            return List.of();
        }
        if (type == Double.class || type == double.class) {
            return 1.0;
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        return null; // EventMeta: the constructors do not read it
    }
}
