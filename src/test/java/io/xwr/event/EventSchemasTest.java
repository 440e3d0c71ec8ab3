package io.xwr.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xwr.testing.PublishedSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/schemas/ is the published contract, one JSON Schema per event type: it must be what {@link EventSchemas}
 * makes of the records now (regenerate with {@code -Dxwr.schemas.write=true}), and every event the fixtures of
 * real X deliveries yield must validate against it. The Kafka side is checked by PublishedRecordsSchemaTest.
 */
class EventSchemasTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final EventJson EVENT_JSON = new EventJson(MAPPER);

    @Test
    void docsSchemasHoldExactlyTheSchemaOfEachEventType() throws IOException {
        Map<String, String> generated = new TreeMap<>();
        for (Class<?> record : EventSchemas.records()) {
            generated.put(
                    EventSchemas.typeOf(record) + ".json",
                    MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(EventSchemas.schema(record)) + "\n");
        }
        if (Boolean.getBoolean("xwr.schemas.write")) {
            try (Stream<Path> old = Files.list(PublishedSchemas.DIR)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
            for (Map.Entry<String, String> schema : generated.entrySet()) {
                Files.writeString(PublishedSchemas.DIR.resolve(schema.getKey()), schema.getValue());
            }
        }
        Set<String> committed = new TreeSet<>();
        try (Stream<Path> files = Files.list(PublishedSchemas.DIR)) {
            files.forEach(f -> committed.add(f.getFileName().toString()));
        }
        assertEquals(generated.keySet(), committed, "regenerate with -Dxwr.schemas.write=true");
        for (Map.Entry<String, String> schema : generated.entrySet()) {
            assertEquals(
                    MAPPER.readTree(schema.getValue()),
                    MAPPER.readTree(Files.readString(PublishedSchemas.DIR.resolve(schema.getKey()))),
                    schema.getKey() + " is stale: regenerate with -Dxwr.schemas.write=true");
        }
    }

    @Test
    void everyEventOfTheFixturesValidatesAgainstItsTypesSchema() throws IOException {
        DeliveryNormalizer normalizer = new DeliveryNormalizer(MAPPER);
        Set<String> types = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> fixtures = Files.walk(FixtureNormalizationTest.FIXTURES)) {
            for (Path fixture :
                    fixtures.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (ActivityEvent event :
                        normalizer.normalize(Files.readAllBytes(fixture)).events()) {
                    types.add(event.type());
                    PublishedSchemas.problems(schemaOf(event.type()), EVENT_JSON.writeWithSource(event))
                            .forEach(p -> problems.add(fixture.getFileName() + " " + event.type() + ": " + p));
                }
            }
        }
        assertEquals(List.of(), problems);
        // the fixtures reach nearly every type; the few they do not are covered by the Kafka test's deliveries
        assertTrue(types.size() >= EventSchemas.records().size() - 4, types.toString());
    }

    @Test
    void theSchemasRefuseWhatTheContractDoesNot() throws IOException {
        byte[] post = Files.readAllBytes(FixtureNormalizationTest.FIXTURES.resolve("aaa/post.json"));
        ActivityEvent event =
                new DeliveryNormalizer(MAPPER).normalize(post).events().getFirst();
        ObjectNode valid = (ObjectNode) MAPPER.readTree(EVENT_JSON.writeWithSource(event));
        String schema = schemaOf(event.type());
        assertEquals(List.of(), PublishedSchemas.problems(schema, valid.toString()));

        ObjectNode extra = valid.deepCopy();
        ((ObjectNode) extra.path("data")).put("notInTheRecord", 1);
        ObjectNode missing = valid.deepCopy();
        ((ObjectNode) missing.path("data")).remove("postId");
        ObjectNode nulled = valid.deepCopy();
        ((ObjectNode) nulled.path("data")).putNull("postId");
        ObjectNode otherType = valid.deepCopy();
        otherType.put("type", "post.deleted");
        ObjectNode badRelation = valid.deepCopy();
        ((ObjectNode) badRelation.path("data")).put("relation", "FRIEND");
        for (JsonNode wrong : List.of(extra, missing, nulled, otherType, badRelation)) {
            assertFalse(PublishedSchemas.problems(schema, wrong.toString()).isEmpty(), wrong.toString());
        }
        // an event retention deleted before the relay came is published as its key and the fact
        assertEquals(List.of(), PublishedSchemas.problems(schema, "{\"key\":\"k\",\"expired\":true}"));
        assertFalse(PublishedSchemas.problems(schema, "{\"key\":\"k\",\"expired\":false}")
                .isEmpty());
        // a purged event is published as the purge's marker alone
        assertEquals(
                List.of(),
                PublishedSchemas.problems(schema, "{\"purged\":{\"purgeId\":7,\"reason\":\"POST_DELETED\"}}"));
    }

    static String schemaOf(String type) {
        return EventSchemas.BASE + type + ".json";
    }

    static {
        MAPPER.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }
}
