package io.xwr.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Sends deliveries the way X does, and builds small realistic bodies. */
public final class Deliveries {
    public static final String SIGNATURE_HEADER = "x-twitter-webhooks-signature";

    private Deliveries() {}

    /** POSTs the body as JSON with the given signature header. */
    public static ValidatableResponse post(byte[] body, String signature) {
        return given().contentType("application/json")
                .header(SIGNATURE_HEADER, signature)
                .body(body)
                .post("/webhooks/x")
                .then();
    }

    /**
     * POSTs every body, signed, from {@code connections} concurrent senders, and returns the statuses in the
     * bodies' order.
     */
    public static java.util.List<Integer> postConcurrently(java.util.List<byte[]> bodies, int connections)
            throws Exception {
        try (java.util.concurrent.ExecutorService senders =
                java.util.concurrent.Executors.newFixedThreadPool(connections)) {
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (byte[] body : bodies) {
                answers.add(senders.submit(
                        () -> post(body, XSigner.sign(body)).extract().statusCode()));
            }
            java.util.List<Integer> statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> answer : answers) {
                statuses.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return statuses;
        }
    }

    /** A POST of the body to {@code webhook} as X sends it: JSON, signed with the test secret. */
    public static java.net.http.HttpRequest signedRequest(java.net.URI webhook, byte[] body) {
        return java.net.http.HttpRequest.newBuilder(webhook)
                .timeout(java.time.Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, XSigner.sign(body))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /**
     * POSTs the body signed with the CRC-answering test secret, expects 200, and waits for the projection (in a
     * {@code @QuarkusTest}): what the delivery means is recorded behind the ack.
     */
    public static void deliver(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        post(body, XSigner.sign(body)).statusCode(200);
        awaitProjected();
    }

    /** Waits until the test application's projection has read every delivery stored so far. */
    public static void awaitProjected() {
        new Db(io.quarkus.arc.Arc.container()
                        .instance(io.agroal.api.AgroalDataSource.class)
                        .get())
                .awaitProjected();
    }

    /** An AAA post delivery for one subscribed user; ids are digits, as X's are (the user id is a JSON number). */
    public static byte[] tweet(String forUserId, String postId) {
        if (!forUserId.matches("[0-9]{1,19}") || !postId.matches("[0-9]{1,19}")) {
            throw new IllegalArgumentException("X ids are decimal digits: " + forUserId + ", " + postId);
        }
        return ("{\"for_user_id\":\"" + forUserId
                        + "\",\"tweet_create_events\":[{\"created_at\":\"Mon May 19 14:01:46 +0000 2025\","
                        + "\"id\":" + postId + ",\"id_str\":\"" + postId + "\",\"text\":\"hello " + postId + "\","
                        + "\"user\":{\"id\":" + forUserId + ",\"id_str\":\"" + forUserId
                        + "\",\"screen_name\":\"someone\"},"
                        + "\"timestamp_ms\":\"1747663306000\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A random 19-digit id, like X's 64-bit ids. */
    public static String randomId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE));
    }

    public static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
