package io.xwr.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class XTimesTest {
    private static final DateTimeFormatter V1_1 =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.ENGLISH);

    @Test
    void readsWhatJavaTimeReadsForTimesOfBothFormats() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochMilli(
                    1_000_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % 4_000_000_000_000L);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(37) - 18) * 1800);
            String v11 = t.atOffset(offset).format(V1_1);
            String iso = t.toString();
            String isoSeconds = t.truncatedTo(ChronoUnit.SECONDS).toString();
            assertEquals(ZonedDateTime.parse(v11, V1_1).toInstant(), XTimes.parse(v11), v11);
            assertEquals(OffsetDateTime.parse(iso).toInstant(), XTimes.parse(iso), iso);
            assertEquals(OffsetDateTime.parse(isoSeconds).toInstant(), XTimes.parse(isoSeconds), isoSeconds);
        }
    }

    @Test
    void leavesOtherShapesToJavaTime() {
        assertEquals(Instant.parse("2018-05-24T07:48:12Z"), XTimes.parse("2018-05-24T09:48:12+02:00"));
        assertEquals(Instant.parse("2026-08-12T18:00:00.123456Z"), XTimes.parse("2026-08-12T18:00:00.123456Z"));
        assertEquals(Instant.parse("2025-05-19T15:31:46Z"), XTimes.parse("Mon May 19 14:01:46 -0130 2025"));
    }

    @Test
    void refusesWhatJavaTimeRefuses() {
        assertNull(XTimes.parse("Tue May 19 14:01:46 +0000 2025"), "weekday contradicts the date");
        assertNull(XTimes.parse("Fri Feb 30 14:01:46 +0000 2025"));
        assertNull(XTimes.parse("Mon May 19 24:01:46 +0000 2025"));
        assertNull(XTimes.parse("Mon may 19 14:01:46 +0000 2025"));
        assertNull(XTimes.parse("Mon Mxy 19 14:01:46 +0000 2025"));
        assertNull(XTimes.parse("2026-13-12T18:00:00.000Z"));
        assertNull(XTimes.parse("2026-08-12T18:60:00Z"));
        assertNull(XTimes.parse("2026-08-12 18:00:00Z"));
        assertNull(XTimes.parse(""));
        assertNull(XTimes.parse("yesterday"));
    }
}
