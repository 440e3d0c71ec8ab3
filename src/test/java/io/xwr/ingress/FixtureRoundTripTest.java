package io.xwr.ingress;

import static io.xwr.testing.Deliveries.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.event.ActivityEvent;
import io.xwr.event.DeliveryNormalizer;
import io.xwr.event.Normalization;
import io.xwr.testing.Db;
import io.xwr.testing.Deliveries;
import io.xwr.testing.XSigner;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture of every event family, signed and POSTed, ends up as its events in the events table. */
@QuarkusTest
class FixtureRoundTripTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DeliveryNormalizer normalizer;

    static Stream<Path> fixtures() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(FIXTURES)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() > 50, "fixtures found: " + files.size());
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void roundTripsIntoTheEventsTable(Path fixture) throws IOException {
        // Given
        Db db = new Db(dataSource);
        byte[] body = Files.readAllBytes(fixture);
        Normalization expected = normalizer.normalize(body);
        assertFalse(expected.events().isEmpty(), "fixture yields no event: " + fixture);

        // When
        post(body, XSigner.sign(body)).statusCode(200);

        // Then: once projected, not quarantined, and every event is there
        String sha = Deliveries.sha256(body);
        db.awaitProjected();
        assertEquals(
                0,
                db.count(
                        "SELECT count(*) FROM quarantine WHERE delivery_id IN (SELECT id FROM raw_delivery WHERE"
                                + " body_sha256 = ?)",
                        sha));
        for (ActivityEvent event : expected.events()) {
            assertEquals(
                    event.type(),
                    db.single(
                            "SELECT event_type FROM activity_event WHERE event_key = ?",
                            event.key().value()),
                    event.key().value());
            assertEquals(
                    event.family().name(),
                    db.single(
                            "SELECT family FROM activity_event WHERE event_key = ?",
                            event.key().value()));
        }
    }
}
