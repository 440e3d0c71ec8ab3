package io.xwr.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.coverage.GapCause;
import io.xwr.coverage.GapLog;
import io.xwr.coverage.GapState;
import io.xwr.coverage.StoredGap;
import io.xwr.testing.Db;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A rotated secret that reached X first: the mismatches before it was configured become a gap to replay. */
@QuarkusTest
class RotationWatchTest {
    @Inject
    RotationWatch watch;

    @Inject
    GapLog gaps;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aNewSecretAfterRecentMismatchesRecordsTheirSpanAsAGap() {
        // Given: deliveries refused for 10 minutes (X already signs with a secret we do not have)
        // (days ahead, so no mismatch other tests caused really is within 30 minutes of these)
        Instant first = Instant.now().truncatedTo(ChronoUnit.MILLIS).plus(Duration.ofDays(10));
        watch.mismatch(first);
        watch.mismatch(first.plus(Duration.ofMinutes(10)));

        // When: the new secret is configured and verifies its first delivery
        Instant verified = first.plus(Duration.ofMinutes(12));
        watch.verified("fp-" + UUID.randomUUID(), verified);

        // Then
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rotationGap(first) != null);
        StoredGap gap = rotationGap(first);
        assertEquals(verified, gap.window().to());
        assertEquals(GapState.WAITING, gap.state());
    }

    @Test
    void mismatchesOlderThanThirtyMinutesOrAKnownSecretRecordNothing() {
        // Given
        Instant first = Instant.now().truncatedTo(ChronoUnit.MILLIS).plus(Duration.ofDays(20));
        String known = "fp-" + UUID.randomUUID();
        watch.verified(known, first.minusSeconds(1));
        long before = new Db(dataSource).count("SELECT count(*) FROM gap WHERE cause = 'SIGNATURE_ROTATION'");

        // When: a mismatch, then a known secret, then a new one 31 minutes after the mismatch
        watch.mismatch(first);
        watch.verified(known, first.plus(Duration.ofMinutes(1)));
        watch.verified("fp-" + UUID.randomUUID(), first.plus(Duration.ofMinutes(31)));

        // Then: no gap was recorded (the virtual thread would have within the first test's wait)
        Awaitility.await()
                .during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> new Db(dataSource).count("SELECT count(*) FROM gap WHERE cause = 'SIGNATURE_ROTATION'")
                        == before);
    }

    /** The gaps these tests made lie in the future: no other test's replay may meet them. */
    @AfterEach
    void removeTheRotationGaps() throws Exception {
        try (var c = dataSource.getConnection();
                var s = c.createStatement()) {
            s.executeUpdate("DELETE FROM gap WHERE cause = 'SIGNATURE_ROTATION'");
        }
    }

    private StoredGap rotationGap(Instant from) {
        List<StoredGap> found = gaps.recent(10_000).stream()
                .filter(g -> g.cause() == GapCause.SIGNATURE_ROTATION
                        && g.window().from().equals(from))
                .toList();
        return found.isEmpty() ? null : found.getFirst();
    }
}
