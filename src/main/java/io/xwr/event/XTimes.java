package io.xwr.event;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * X's two text time formats, v1.1 ({@code Mon May 19 14:01:46 +0000 2025}) and ISO-8601 ({@code
 * 2026-08-12T18:00:00.000Z}). Every post carries one, so the shapes X actually sends are read by position; anything
 * else goes to {@code java.time}'s parsers, which decide what the fast path does not. Both give the same instant
 * for the same text.
 */
final class XTimes {
    private static final DateTimeFormatter V1_1 =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.ENGLISH);
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private XTimes() {}

    /** The instant, or null when the text is neither format. */
    static Instant parse(String value) {
        if (value.isEmpty()) {
            return null;
        }
        boolean iso = Character.isDigit(value.charAt(0));
        try {
            Instant fast = iso ? isoUtc(value) : v11(value);
            if (fast != null) {
                return fast;
            }
            return iso
                    ? OffsetDateTime.parse(value).toInstant()
                    : ZonedDateTime.parse(value, V1_1).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** {@code EEE MMM dd HH:mm:ss ±hhmm yyyy}, or null for the slow path. */
    private static Instant v11(String s) {
        if (s.length() != 30
                || s.charAt(3) != ' '
                || s.charAt(7) != ' '
                || s.charAt(10) != ' '
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(19) != ' '
                || s.charAt(25) != ' ') {
            return null;
        }
        int month = MONTHS.indexOf(s.substring(4, 7));
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int offset = digits(s, 21, 4);
        int year = digits(s, 26, 4);
        char sign = s.charAt(20);
        if (month < 0
                || month % 3 != 0
                || (sign != '+' && sign != '-')
                || (day | hour | minute | second | offset | year) < 0) {
            return null;
        }
        LocalDate date = LocalDate.of(year, month / 3 + 1, day); // throws for Feb 30: the slow path would refuse it too
        DayOfWeek weekday = date.getDayOfWeek();
        if (!s.startsWith(weekday.getDisplayName(TextStyle.SHORT, Locale.ENGLISH))) {
            return null; // a weekday that contradicts the date: let java.time rule
        }
        if (offset / 100 > 18 || offset % 100 > 59) {
            return null;
        }
        int offsetSeconds = (offset / 100 * 3600 + offset % 100 * 60) * (sign == '-' ? -1 : 1);
        return instant(date, hour, minute, second, 0, offsetSeconds);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.SSS]Z}, or null for the slow path. */
    private static Instant isoUtc(String s) {
        int n = s.length();
        if ((n != 20 && n != 24)
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(n - 1) != 'Z'
                || (n == 24 && s.charAt(19) != '.')) {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int millis = n == 24 ? digits(s, 20, 3) : 0;
        if ((year | month | day | hour | minute | second | millis) < 0) {
            return null;
        }
        return instant(LocalDate.of(year, month, day), hour, minute, second, millis, 0);
    }

    private static Instant instant(LocalDate date, int hour, int minute, int second, int millis, int offsetSeconds) {
        if (hour > 23 || minute > 59 || second > 59) {
            throw new DateTimeException("time out of range"); // as java.time refuses it
        }
        long seconds = date.toEpochDay() * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(seconds, millis * 1_000_000L);
    }

    /** {@code length} decimal digits at {@code from}, or -1. */
    private static int digits(String s, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
