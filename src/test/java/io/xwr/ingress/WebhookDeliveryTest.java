package io.xwr.ingress;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.post;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.sha256;
import static io.xwr.testing.Deliveries.tweet;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.testing.Db;
import io.xwr.testing.Deliveries;
import io.xwr.testing.XSigner;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed POSTs over HTTP into a real PostgreSQL: what is stored, what is refused, and what is deduplicated. */
@QuarkusTest
class WebhookDeliveryTest {
    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/webhooks/x")
    URI webhook;

    Db db;

    @BeforeEach
    void setUp() {
        db = new Db(dataSource);
    }

    /** Found by FuzzTest: values PostgreSQL refuses must never turn a signed delivery into a 503. */
    @Test
    void storesSignedDeliveriesWhoseValuesTheDatabaseWouldRefuse() {
        String id = randomId();
        List<String> bodies = List.of(
                // a NUL inside strings that become columns (event type, account)
                "{\"data\":{\"event_uuid\":\"" + id + "\",\"filter\":{\"user_id\":\"1\\u0000\"},"
                        + "\"event_type\":\"profile.update\\u0000\",\"payload\":{}}}",
                // an account id far longer than any column for it
                "{\"for_user_id\":\"" + "9".repeat(600) + "\",\"tweet_create_events\":[{\"id_str\":\"" + id
                        + "\",\"text\":\"t\",\"user\":{\"id_str\":\"1\"},\"timestamp_ms\":\"1747663306000\"}]}",
                // a time no database can hold
                "{\"for_user_id\":\"1\",\"tweet_create_events\":[{\"id_str\":\"" + id + "1\",\"text\":\"t\","
                        + "\"user\":{\"id_str\":\"1\"},\"timestamp_ms\":\"200000000000000000\"}]}");
        for (String json : bodies) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            post(body, XSigner.sign(body)).statusCode(200);
            assertEquals(1, db.count("SELECT count(*) FROM raw_delivery WHERE body_sha256 = ?", sha256(body)));
        }
    }

    @Test
    void storesSignedDeliveryBeforeAnswering200AndProjectsItsEvent() {
        // Given
        String postId = randomId();
        byte[] body = tweet("2244994945", postId);

        // When
        post(body, XSigner.sign(body))
                .statusCode(200)
                .contentType("application/json")
                .body(org.hamcrest.Matchers.equalTo("{}"));

        // Then: the raw delivery is stored at the 200, and its event follows it
        String key = "aaa:2244994945:tweet:" + postId;
        assertEquals(1, db.count("SELECT count(*) FROM raw_delivery WHERE body_sha256 = ?", sha256(body)));
        db.awaitProjected();
        assertEquals(1, db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", key));
        assertEquals("post.created", db.single("SELECT event_type FROM activity_event WHERE event_key = ?", key));
        assertEquals("2244994945", db.single("SELECT account_id FROM activity_event WHERE event_key = ?", key));
        long deliveryId =
                ((Number) db.single("SELECT delivery_id FROM activity_event WHERE event_key = ?", key)).longValue();
        assertEquals(0, db.count("SELECT count(*) FROM quarantine WHERE delivery_id = ?", deliveryId));
        byte[] stored = (byte[]) db.single("SELECT body FROM raw_delivery WHERE id = ?", deliveryId);
        assertEquals(new String(body, StandardCharsets.UTF_8), new String(stored, StandardCharsets.UTF_8));
    }

    @Test
    void acceptsOldAndNewSecretDuringRotationButRefusesARetiredOne() {
        byte[] signedNew = tweet("1", randomId());
        byte[] signedOld = tweet("1", randomId());
        byte[] signedRetired = tweet("1", randomId());
        long before = db.deliveries();

        post(signedNew, XSigner.sign(XSigner.SECRET, signedNew)).statusCode(200);
        post(signedOld, XSigner.sign(XSigner.OLD_SECRET, signedOld)).statusCode(200);
        post(signedRetired, XSigner.sign(XSigner.RETIRED_SECRET, signedRetired))
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:xwr:problem:signature-mismatch"));

        assertEquals(before + 2, db.deliveries());
    }

    @Test
    void refusesBodyWithOneFlippedByteAndWritesNothing() {
        byte[] body = tweet("1", randomId());
        String signature = XSigner.sign(body);
        byte[] flipped = body.clone();
        flipped[body.length / 2] ^= 0x01;
        long deliveries = db.deliveries();
        long events = db.events();

        post(flipped, signature).statusCode(401);

        assertEquals(deliveries, db.deliveries());
        assertEquals(events, db.events());
    }

    @Test
    void refusesMissingOrMalformedSignatureAndWritesNothing() {
        byte[] body = tweet("1", randomId());
        long deliveries = db.deliveries();
        double failures = counter("xwr.signature.failures", "reason", "signature-missing");

        given().contentType("application/json")
                .body(body)
                .post("/webhooks/x")
                .then()
                .statusCode(401)
                .body("type", equalTo("urn:xwr:problem:signature-missing"));
        post(body, "sha256=" + "0".repeat(64))
                .statusCode(401)
                .body("type", equalTo("urn:xwr:problem:signature-malformed"));

        assertEquals(deliveries, db.deliveries());
        assertEquals(failures + 1, counter("xwr.signature.failures", "reason", "signature-missing"));
    }

    @Test
    void refusesWrongContentTypeWith415AndWritesNothing() {
        byte[] body = tweet("1", randomId());
        long deliveries = db.deliveries();

        given().contentType("text/plain")
                .header(Deliveries.SIGNATURE_HEADER, XSigner.sign(body))
                .body(body)
                .post("/webhooks/x")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");

        assertEquals(deliveries, db.deliveries());
    }

    @Test
    void acceptsJsonWithCharsetParameter() {
        byte[] body = tweet("1", randomId());
        given().contentType("application/json; charset=utf-8")
                .header(Deliveries.SIGNATURE_HEADER, XSigner.sign(body))
                .body(body)
                .post("/webhooks/x")
                .then()
                .statusCode(200);
    }

    @Test
    void refusesBodyOverTheLimitWith413AndWritesNothing() {
        // Vert.x refuses on the declared length, before the body: read its answer before sending the body (a
        // client still writing 5 MiB may see only the close, a race that made this test flaky)
        long deliveries = db.deliveries();
        String answer;
        try (Socket socket = new Socket(webhook.getHost(), webhook.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream()
                    .write(("POST /webhooks/x HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                    + "x-twitter-webhooks-signature: sha256=AAAA\r\nContent-Length: "
                                    + (5 * 1024 * 1024 + 1) + "\r\n\r\n{")
                            .getBytes(StandardCharsets.US_ASCII));
            byte[] head = new byte[12];
            int n = socket.getInputStream().readNBytes(head, 0, head.length);
            answer = new String(head, 0, n, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AssertionError("no answer before the body", e);
        }

        assertEquals("HTTP/1.1 413", answer);
        assertEquals(deliveries, db.deliveries());
    }

    @Test
    void storesAChunkedBodyWithoutADeclaredLength() throws IOException {
        String postId = randomId();
        byte[] body = tweet("2244994945", postId);

        String answer = chunked(body, XSigner.sign(body), 1_000);

        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertEquals(1, db.count("SELECT count(*) FROM raw_delivery WHERE body_sha256 = ?", sha256(body)));
    }

    @Test
    void refusesAChunkedBodyThatGrowsPastTheLimit() throws IOException {
        long deliveries = db.deliveries();
        byte[] body = new byte[5 * 1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';

        String answer = chunked(body, XSigner.sign(body), 64 * 1024);

        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("urn:xwr:problem:too-large"), answer);
        assertEquals(deliveries, db.deliveries());
    }

    /**
     * Sends the body in chunks of {@code chunk} bytes with no Content-Length, as a client streaming it would, and
     * returns what came back (the answer may come, and the connection close, before the last chunk is written).
     */
    private String chunked(byte[] body, String signature, int chunk) throws IOException {
        try (Socket socket = new Socket(webhook.getHost(), webhook.getPort())) {
            socket.setSoTimeout(30_000);
            // read while writing: an answer that came early is taken before the close can reset the connection
            var in = socket.getInputStream();
            var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                var got = new java.io.ByteArrayOutputStream();
                try {
                    in.transferTo(got);
                } catch (IOException e) {
                    // reset after the answer: what arrived is the answer
                }
                return got.toString(StandardCharsets.US_ASCII);
            });
            var out = socket.getOutputStream();
            try {
                out.write(("POST /webhooks/x HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                + "x-twitter-webhooks-signature: " + signature + "\r\nConnection: close\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                for (int from = 0; from < body.length; from += chunk) {
                    int n = Math.min(chunk, body.length - from);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, from, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // refused while it was still being sent: the answer is already on its way back
            }
            try {
                return answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("no answer", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Test
    void acceptsBodyExactlyAtTheLimit() {
        byte[] prefix = "{\"pad\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'x');
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[body.length - 2] = '"';
        body[body.length - 1] = '}';

        post(body, XSigner.sign(body)).statusCode(200);
    }

    @Test
    void storesSignedButUnparseableBodyQuarantinesAndCountsIt() {
        // Given
        byte[] body = ("{ not json at all " + randomId()).getBytes(StandardCharsets.UTF_8);
        double before = counter("xwr.deliveries.not.understood", "status", "unparseable");

        // When
        post(body, XSigner.sign(body)).statusCode(200);

        // Then: kept byte for byte, and set aside by the projection with the reason, for an operator to see
        String sha = sha256(body);
        db.awaitProjected();
        long deliveryId = ((Number) db.single("SELECT id FROM raw_delivery WHERE body_sha256 = ?", sha)).longValue();
        assertEquals("not valid JSON", db.single("SELECT reason FROM quarantine WHERE delivery_id = ?", deliveryId));
        assertEquals(0, db.count("SELECT count(*) FROM activity_event WHERE delivery_id = ?", deliveryId));
        assertEquals(before + 1, counter("xwr.deliveries.not.understood", "status", "unparseable"));
    }

    /** The CRC answer signs the token with the POST key: it must never sign a body the service would store. */
    @Test
    void aCrcAnswerUsedAsASignatureStoresNothing() {
        for (String token : List.of("hello", "null", "12345", "true", "x" + randomId())) {
            // Given: what an attacker gets by asking for a CRC
            String answer = given().queryParam("crc_token", token)
                    .get("/webhooks/x")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("response_token");
            long deliveries = db.deliveries();
            double refused = counter("xwr.deliveries", "outcome", "not-an-object");

            // When: the token is posted as a body with that answer as its signature
            String problem = post(token.getBytes(StandardCharsets.UTF_8), answer)
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:xwr:problem:not-an-object"))
                    .extract()
                    .asString();

            // Then: refused (the signature itself verified), nothing stored, counted, and nothing echoed
            assertEquals(deliveries, db.deliveries(), token);
            assertEquals(refused + 1, counter("xwr.deliveries", "outcome", "not-an-object"), token);
            assertTrue(!problem.contains(token), problem);
        }
    }

    @Test
    void acceptsAnObjectAfterJsonWhitespace() {
        byte[] body = (" \r\n\t" + new String(tweet("1", randomId()), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        long deliveries = db.deliveries();

        post(body, XSigner.sign(body)).statusCode(200);

        assertEquals(deliveries + 1, db.deliveries());
    }

    @Test
    void storesSignedUnknownPayloadAsUnknownActivity() {
        // Given
        byte[] body = ("{\"something_new\":{\"id\":\"" + randomId() + "\"}}").getBytes(StandardCharsets.UTF_8);
        double before = counter("xwr.deliveries.not.understood", "status", "unknown");

        // When
        post(body, XSigner.sign(body)).statusCode(200);

        // Then
        String sha = sha256(body);
        db.awaitProjected();
        long deliveryId = ((Number) db.single("SELECT id FROM raw_delivery WHERE body_sha256 = ?", sha)).longValue();
        assertEquals("unknown", db.single("SELECT event_type FROM activity_event WHERE delivery_id = ?", deliveryId));
        assertEquals(before + 1, counter("xwr.deliveries.not.understood", "status", "unknown"));
    }

    @Test
    void repeatedDeliveryIsStoredAgainButAddsNoEvent() {
        byte[] body = tweet("42", randomId());
        long events = db.events();
        long deliveries = db.deliveries();

        post(body, XSigner.sign(body)).statusCode(200);
        post(body, XSigner.sign(body)).statusCode(200);
        db.awaitProjected();

        assertEquals(events + 1, db.events());
        assertEquals(deliveries + 2, db.deliveries());
    }

    @Test
    void twoIdenticalDeliveriesAtOnceYieldOneEventRow() throws Exception {
        // Given: twenty different posts, each delivered by four connections at the same instant
        int posts = 20;
        int copies = 4;
        List<byte[]> bodies = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < posts; i++) {
            String id = randomId();
            bodies.add(tweet("7", id));
            keys.add("aaa:7:tweet:" + id);
        }

        // When (the JDK client: one connection per request, truly concurrent)
        HttpClient http = HttpClient.newHttpClient();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (byte[] body : bodies) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int c = 0; c < copies; c++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return http.send(
                                        HttpRequest.newBuilder(webhook)
                                                .header("Content-Type", "application/json")
                                                .header(Deliveries.SIGNATURE_HEADER, XSigner.sign(body))
                                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                    }));
                }
                start.countDown();
                for (Future<Integer> answer : answers) {
                    assertEquals(200, answer.get());
                }
            }
        }

        // Then
        db.awaitProjected();
        for (String key : keys) {
            assertEquals(1, db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", key), key);
        }
        assertTrue(db.count("SELECT count(*) FROM raw_delivery WHERE body_sha256 = ?", sha256(bodies.getFirst()))
                == copies);
    }

    private double counter(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }
}
