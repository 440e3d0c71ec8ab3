package io.xwr.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.xwr.testing.Db;
import io.xwr.testing.Fixtures;
import io.xwr.testing.RelayOff;
import io.xwr.testing.ReliabilityReport;
import io.xwr.testing.XSigner;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A seeded random mutator over X's payload fixtures, their signatures and headers. Every input has a known right
 * answer (413, 415, 401, 400 or 200) and must get exactly it: no other 5xx, no exception, and every signed object
 * stored. {@code -Dfuzz.inputs} and {@code -Dfuzz.seed} reproduce or extend a run; the figures go to
 * docs/reliability.md.
 */
@QuarkusTest
@TestProfile(RelayOff.class) // tens of thousands of events need no Kafka round trip
class FuzzTest {
    private static final Logger LOG = Logger.getLogger(FuzzTest.class);
    private static final int INPUTS = Integer.getInteger("fuzz.inputs", 100_000);
    private static final int HTTP_INPUTS = Integer.getInteger("fuzz.http-inputs", 5_000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261201L);
    private static final int MAX_BODY = 5 * 1024 * 1024;

    @Inject
    DeliveryIntake intake;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/webhooks/x")
    URI webhook;

    /** The answers a run got, how many were 200, and every input that got the wrong one. */
    static final class Tally {
        final Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        final AtomicInteger accepted = new AtomicInteger();
        final List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());

        void answered(int n, Input input, int status) {
            answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            if (status == 200) {
                accepted.incrementAndGet();
            }
            if (status != input.expected()) {
                wrong.add("input " + n + ": expected " + input.expected() + ", got " + status);
            }
        }
    }

    /** One generated request and the answer it must get. */
    record Input(byte[] body, String contentType, String signature, int expected) {}

    @Test
    void everyMutatedDeliveryGetsItsRightAnswerAndEverySignedOneIsStored() throws Exception {
        // Given
        List<byte[]> corpus = corpus();
        String run = "fuzz-" + UUID.randomUUID();
        Tally tally = new Tally();
        Map<String, String> headers = Map.of("user-agent", run);

        // When: INPUTS through the intake (the path a POST takes after Vert.x), 64 at a time
        long started = System.nanoTime();
        Semaphore inFlight = new Semaphore(64);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Random random = new Random(SEED);
            for (int i = 0; i < INPUTS; i++) {
                Input input = mutate(random, corpus);
                int n = i;
                inFlight.acquire();
                callers.submit(() -> {
                    try {
                        DeliveryOutcome outcome = intake.receive(
                                        input.body(), input.contentType(), input.signature(), headers)
                                .toCompletableFuture()
                                .join();
                        tally.answered(n, input, status(outcome));
                    } catch (Throwable t) {
                        tally.wrong.add("input " + n + ": " + t);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        // Then
        assertEquals(List.of(), tally.wrong.stream().limit(20).toList(), "seed " + SEED);
        long stored =
                new Db(dataSource).count("SELECT count(*) FROM raw_delivery WHERE position(? in headers) > 0", run);
        assertEquals(tally.accepted.get(), stored, "every signed body is stored");
        assertTrue(tally.accepted.get() > INPUTS / 10, "the mutator must also produce valid deliveries");
        LOG.infof(
                "Fuzz: %d inputs (seed %d) in %.1f s, answers %s, %d stored",
                INPUTS, SEED, seconds, tally.answers, stored);
        report("intake", INPUTS, SEED, seconds, tally.answers, stored);
    }

    @Test
    void overHttpTheSameHoldsWithRealHeaders() throws Exception {
        // Given
        List<byte[]> corpus = corpus();
        // HTTP/1.1 as X speaks it (no h2c upgrade dance on a POST), and no request may hang the suite
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(java.time.Duration.ofSeconds(10))
                .build();
        String run = "fuzz-http-" + UUID.randomUUID();
        Tally tally = new Tally();
        Random random = new Random(SEED + 1);

        // When
        long started = System.nanoTime();
        try (ExecutorService callers = Executors.newFixedThreadPool(16)) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < HTTP_INPUTS; i++) {
                Input input = mutate(random, corpus);
                int n = i;
                sent.add(callers.submit(() -> {
                    HttpRequest.Builder request = HttpRequest.newBuilder(webhook)
                            .timeout(java.time.Duration.ofSeconds(30))
                            .header("User-Agent", run)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(input.body()));
                    if (input.contentType() != null) {
                        request.header("Content-Type", input.contentType());
                    }
                    if (input.signature() != null) {
                        request.header("x-twitter-webhooks-signature", input.signature());
                    }
                    try {
                        tally.answered(
                                n,
                                input,
                                http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                                        .statusCode());
                    } catch (IOException e) {
                        if (input.expected() == 413) {
                            // Vert.x refuses an oversized body while it is still arriving: it answers 413 and
                            // closes, and the client, still sending, may see only the close. Either way, refused.
                            tally.answered(n, input, 413);
                        } else {
                            tally.wrong.add("input " + n + ": " + e);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        tally.wrong.add("input " + n + ": interrupted");
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        // Then
        assertEquals(List.of(), tally.wrong.stream().limit(20).toList(), "seed " + (SEED + 1));
        long stored =
                new Db(dataSource).count("SELECT count(*) FROM raw_delivery WHERE position(? in headers) > 0", run);
        assertEquals(tally.accepted.get(), stored);
        report("http", HTTP_INPUTS, SEED + 1, seconds, tally.answers, stored);
    }

    /** Mutates a fixture, then decides its headers; the expected answer follows from what was chosen. */
    static Input mutate(Random random, List<byte[]> corpus) {
        byte[] body = corpus.get(random.nextInt(corpus.size()));
        int rounds = random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            body = mutation(random, body, corpus);
        }
        boolean tooLarge = random.nextInt(500) == 0;
        if (tooLarge) {
            byte[] big = new byte[MAX_BODY + 1 + random.nextInt(1000)];
            System.arraycopy(body, 0, big, 0, Math.min(body.length, big.length));
            body = big;
        }
        String contentType =
                switch (random.nextInt(12)) {
                    case 0 -> null;
                    case 1 -> "text/plain";
                    case 2 -> "application/jsonx";
                    case 3 -> "APPLICATION/JSON; charset=UTF-8";
                    case 4 -> "application/json;charset=utf-8";
                    default -> "application/json";
                };
        boolean json = contentType != null
                && contentType.toLowerCase().split(";")[0].trim().equals("application/json");
        String good = XSigner.sign(body);
        String signature;
        boolean signed;
        switch (random.nextInt(10)) {
            case 0 -> {
                signature = null;
                signed = false;
            }
            case 1 -> {
                signature = "sha256=" + Base64.getEncoder().encodeToString(randomBytes(random, 32));
                signed = false;
            }
            case 2 -> {
                signature = good.substring(0, random.nextInt(good.length()));
                signed = false;
            }
            case 3 -> {
                signature = "sha1=" + good.substring(7);
                signed = false;
            }
            case 4 -> {
                signature = XSigner.sign(mutation(random, body, corpus)); // another body's signature
                signed = signature.equals(good);
            }
            default -> {
                signature = good;
                signed = true;
            }
        }
        int expected = body.length > MAX_BODY ? 413 : !json ? 415 : !signed ? 401 : !opensObject(body) ? 400 : 200;
        return new Input(body, contentType, signature, expected);
    }

    private static byte[] mutation(Random random, byte[] body, List<byte[]> corpus) {
        String text = new String(body, StandardCharsets.UTF_8);
        return switch (random.nextInt(13)) {
            case 0 -> flip(random, body);
            case 1 -> insert(random, body, randomBytes(random, 1 + random.nextInt(8)));
            case 2 -> delete(random, body);
            case 3 -> java.util.Arrays.copyOf(body, random.nextInt(body.length + 1)); // truncated
            case 4 -> splice(random, body, corpus.get(random.nextInt(corpus.size())));
            case 5 -> replaceValue(random, text, "\"" + "x".repeat(random.nextInt(5000)) + "\"");
            case 6 ->
                replaceValue(
                        random,
                        text,
                        List.of(
                                        "null",
                                        "true",
                                        "-0",
                                        "1e309",
                                        "99999999999999999999999",
                                        "[]",
                                        "{}",
                                        "\"\\ud800\"",
                                        "\"\\u0000\"",
                                        "[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]")
                                .get(random.nextInt(10)));
            case 7 -> nested(random);
            case 8 -> new byte[0];
            case 9 -> insert(random, body, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}); // invalid UTF-8
            case 10 -> prefix(random, body, " \t\r\n"); // JSON whitespace before the object: still an object
            // what a CRC answer could sign, and near misses of an object
            case 11 ->
                List.of("hello", "null", "12345", "[{}]", "\"{}\"", "\uFEFF{}", "\f{}")
                        .get(random.nextInt(7))
                        .getBytes(StandardCharsets.UTF_8);
            default -> text.replace("\"id_str\"", "\"id\"").getBytes(StandardCharsets.UTF_8);
        };
    }

    /**
     * The oracle of the object check, written independently of the service's: strip JSON whitespace, look at
     * one byte.
     */
    private static boolean opensObject(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1).replaceFirst("^[ \t\r\n]+", "");
        return text.startsWith("{");
    }

    /** Some of the given characters (repeated at random) in front of the body. */
    private static byte[] prefix(Random random, byte[] body, String characters) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            prefix.append(characters.charAt(random.nextInt(characters.length())));
        }
        byte[] head = prefix.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    private static byte[] replaceValue(Random random, String text, String value) {
        int colon = text.indexOf(':', random.nextInt(Math.max(1, text.length())));
        if (colon < 0) {
            return (text + value).getBytes(StandardCharsets.UTF_8);
        }
        int end = colon + 1;
        while (end < text.length() && ",}]".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        return (text.substring(0, colon + 1) + value + text.substring(end)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] nested(Random random) {
        int depth = 1 + random.nextInt(3000);
        return ("{\"for_user_id\":\"1\",\"tweet_create_events\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] flip(Random random, byte[] body) {
        if (body.length == 0) {
            return body;
        }
        byte[] copy = body.clone();
        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        return copy;
    }

    private static byte[] insert(Random random, byte[] body, byte[] bytes) {
        int at = random.nextInt(body.length + 1);
        byte[] out = new byte[body.length + bytes.length];
        System.arraycopy(body, 0, out, 0, at);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        System.arraycopy(body, at, out, at + bytes.length, body.length - at);
        return out;
    }

    private static byte[] delete(Random random, byte[] body) {
        if (body.length == 0) {
            return body;
        }
        int from = random.nextInt(body.length);
        int to = Math.min(body.length, from + 1 + random.nextInt(16));
        byte[] out = new byte[body.length - (to - from)];
        System.arraycopy(body, 0, out, 0, from);
        System.arraycopy(body, to, out, from, body.length - to);
        return out;
    }

    private static byte[] splice(Random random, byte[] a, byte[] b) {
        int cutA = random.nextInt(a.length + 1);
        int cutB = random.nextInt(b.length + 1);
        byte[] out = new byte[cutA + b.length - cutB];
        System.arraycopy(a, 0, out, 0, cutA);
        System.arraycopy(b, cutB, out, cutA, b.length - cutB);
        return out;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static int status(DeliveryOutcome outcome) {
        return switch (outcome) {
            case DeliveryOutcome.Accepted accepted -> 200;
            case DeliveryOutcome.Rejected(DeliveryOutcome.Rejection r) -> r.status;
            case DeliveryOutcome.Unavailable unavailable -> 503;
        };
    }

    private static List<byte[]> corpus() {
        List<byte[]> corpus = Fixtures.payloads();
        assertTrue(corpus.size() > 50, "fixtures found: " + corpus.size());
        return corpus;
    }

    private static void report(
            String path, int inputs, long seed, double seconds, Map<Integer, AtomicInteger> answers, long stored)
            throws IOException {
        ReliabilityReport.write(
                "fuzz-" + path,
                String.format(
                        "| %s | %,d | %d | %.1f s | %s | %,d | 0 |%n",
                        path, inputs, seed, seconds, new java.util.TreeMap<>(answers), stored));
    }
}
