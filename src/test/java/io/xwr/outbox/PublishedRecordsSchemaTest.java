package io.xwr.outbox;

import static io.xwr.testing.Deliveries.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.event.ActivityEvent;
import io.xwr.event.DeliveryNormalizer;
import io.xwr.event.Family;
import io.xwr.testing.CloudEventsConsumer;
import io.xwr.testing.CloudEventsConsumer.Received;
import io.xwr.testing.PublishedSchemas;
import io.xwr.testing.XSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every record the relay publishes validates against the JSON Schema its {@code ce_dataschema} names
 * (docs/schemas/), and carries the CloudEvents attributes consumers rely on. The deliveries are the fixtures of
 * real X payloads, with every id replaced by a fresh one so they touch no other test's accounts; every record on
 * the topic is checked, other tests' included.
 */
@QuarkusTest
class PublishedRecordsSchemaTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    private static final Pattern ID = Pattern.compile("(?<![0-9A-Za-z])[1-9][0-9]{5,19}(?![0-9A-Za-z])");
    /** A time field's value: kept as X sent it (the stores are partitioned by time). */
    private static final Pattern TIME_FIELD =
            Pattern.compile("\"[a-z_]*(?:timestamp|_msec)[a-z_]*\"\\s*:\\s*\"?([0-9]+)");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyPublishedRecordValidatesAgainstItsDataschema() throws IOException {
        try (CloudEventsConsumer consumer = new CloudEventsConsumer("x.activity")) {
            // Given: every fixture, with fresh ids, and the events each should publish (replay status goes to a
            // topic the test profile makes invalid, so it is parked: its schema is checked by EventSchemasTest)
            Map<String, String> fresh = new HashMap<>();
            Set<String> expected = new HashSet<>();
            Set<String> types = new TreeSet<>();
            DeliveryNormalizer normalizer = new DeliveryNormalizer(JSON);
            List<byte[]> bodies = new ArrayList<>();
            try (Stream<Path> files = Files.walk(FIXTURES)) {
                // not the revocations: the purge of a user races the publish of the user's other events (the
                // app.revoked schema is checked on its fixture by EventSchemasTest, purge markers there too)
                for (Path fixture : files.filter(p -> p.toString().endsWith(".json"))
                        .filter(p -> !p.getFileName().toString().contains("revoke"))
                        // nor replay status: the test profile routes it to an invalid topic, where its rows hold up
                        // their lane (and the events sharing it) until they are parked
                        .filter(p -> !p.startsWith(FIXTURES.resolve("replay")))
                        .sorted()
                        .toList()) {
                    byte[] body = withFreshIds(Files.readString(fixture), fresh).getBytes(StandardCharsets.UTF_8);
                    bodies.add(body);
                    for (ActivityEvent event : normalizer.normalize(body).events()) {
                        if (event.family() != Family.REPLAY) {
                            expected.add(event.key().value());
                            types.add(event.type());
                        }
                    }
                }
            }

            // When
            for (byte[] body : bodies) {
                post(body, XSigner.sign(body)).statusCode(200);
            }

            // Then
            List<Received> seen;
            try {
                seen = consumer.pollUntil(
                        r -> r.stream().map(Received::id).toList().containsAll(expected), Duration.ofSeconds(60));
            } catch (AssertionError e) {
                Set<String> missing = new TreeSet<>(expected);
                consumer.pollFor(Duration.ZERO).forEach(r -> missing.remove(r.id()));
                throw new AssertionError("not published: " + missing, e);
            }
            List<String> problems = new ArrayList<>();
            for (Received record : seen) {
                String where = record.id() + " (" + record.type() + "): ";
                if (record.dataschema() == null) {
                    problems.add(where + "no ce_dataschema");
                    continue;
                }
                PublishedSchemas.problems(record.dataschema(), record.body()).forEach(p -> problems.add(where + p));
                JsonNode value = JSON.readTree(record.body());
                if (value.has("type")) {
                    assertEquals("io.xwr." + value.path("type").asText(), record.type(), where);
                    assertTrue(
                            record.dataschema()
                                    .endsWith("/" + value.path("type").asText() + ".json"),
                            where);
                }
                assertTrue(java.net.URI.create(record.source()).isAbsolute(), where + record.source());
            }
            assertEquals(List.of(), problems);
            assertTrue(types.size() >= 20, types.toString());
        }
    }

    /**
     * The body with each id-like number replaced by a random one of the same length, the same one each time (an
     * id left as it is could meet another test's purge of it); the values of time fields are kept.
     */
    private static String withFreshIds(String body, Map<String, String> fresh) {
        java.util.Set<Integer> times = new HashSet<>();
        Matcher time = TIME_FIELD.matcher(body);
        while (time.find()) {
            times.add(time.start(1));
        }
        Matcher m = ID.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (times.contains(m.start())) {
                continue;
            }
            String id = fresh.computeIfAbsent(m.group(), PublishedRecordsSchemaTest::randomOfLength);
            m.appendReplacement(out, id);
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String randomOfLength(String id) {
        StringBuilder digits =
                new StringBuilder().append(1 + ThreadLocalRandom.current().nextInt(9));
        while (digits.length() < id.length()) {
            digits.append(ThreadLocalRandom.current().nextInt(10));
        }
        return digits.toString();
    }
}
