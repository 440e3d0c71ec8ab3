package io.xwr.compliance;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.deliver;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.xwr.testing.CloudEventsConsumer;
import io.xwr.testing.CloudEventsConsumer.Received;
import io.xwr.testing.Db;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * X's data rules end to end on PostgreSQL and Kafka: a deleted post and a revoking user's private content leave
 * no trace in any table, consumers are told, and a replay of the original deliveries brings nothing back.
 */
@QuarkusTest
class ComplianceTest {
    private static final String ADMIN = "Bearer test-admin-token-0123456789abcdef";
    private static final String TOPIC = "x.activity";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RetentionJob retention;

    @Inject
    io.xwr.rawlog.Partitions partitions;

    @Test
    void aDeletedPostLeavesNoTextAnywhereAndAReplayDoesNotBringItBack() {
        try (CloudEventsConsumer consumer = new CloudEventsConsumer(TOPIC)) {
            // Given: a post, and another account's like that carries the post whole
            String author = randomId();
            String liker = randomId();
            String post = randomId();
            String text = "hello " + post;
            String postDelivery = new String(tweet(author, post), StandardCharsets.UTF_8);
            String likeDelivery = like(liker, post, author, text);
            deliver(postDelivery);
            deliver(likeDelivery);
            assertFalse(tablesContaining(text).isEmpty(), "the check must see the text before the purge");

            // When: X delivers the post's deletion
            deliver(deleteOf(author, post));
            awaitPurgeDone("POST", post);

            // Then: the text is nowhere; the keys, types and times stay as proof
            assertEquals(List.of(), tablesContaining(text));
            Db db = new Db(dataSource);
            assertEquals(
                    1,
                    db.count(
                            "SELECT count(*) FROM activity_event WHERE event_key = ? AND purged_at IS NOT NULL",
                            "aaa:" + author + ":tweet:" + post));
            // and consumers were told to purge too
            String deleteKey = "aaa:" + author + ":delete:" + post;
            List<Received> seen =
                    consumer.pollUntil(r -> r.stream().anyMatch(e -> deleteKey.equals(e.id())), Duration.ofSeconds(30));
            assertEquals(
                    "io.xwr.post.deleted",
                    seen.stream()
                            .filter(e -> deleteKey.equals(e.id()))
                            .findFirst()
                            .orElseThrow()
                            .type());

            // When: a replay delivers the post and the like again
            long events = db.events();
            deliver(postDelivery);
            deliver(likeDelivery);

            // Then: stored as deliveries, but purged on arrival, and no event is added
            assertEquals(List.of(), tablesContaining(text));
            assertEquals(events, db.events());
            List<String> bodies = db.texts(
                    "SELECT d.body FROM raw_delivery d JOIN delivery_post p ON p.delivery_id = d.id WHERE p.post_id = ?",
                    post);
            assertEquals(4, bodies.size(), "the post's deliveries, the like's included, stay linked to it");
            assertTrue(bodies.stream().allMatch(b -> b.contains("\"purged\":{\"purgeId\"")), bodies.toString());
        }
    }

    @Test
    void aDeletedPostIsCutOutOfQuotesRepostsAndIncludesAndTheirOwnContentStays() {
        // Given: someone's post, quoted by one account, reposted by another, and carried in the includes of an
        // X Activity post and of a filtered-stream post
        String author = randomId();
        String post = randomId();
        String text = "words to delete " + post;
        String quoter = randomId();
        String quote = randomId();
        String quoteText = "my own take " + quote;
        String reposter = randomId();
        String repost = randomId();
        String xaaPost = randomId();
        String streamPost = randomId();
        deliver("{\"for_user_id\":\"" + quoter + "\",\"tweet_create_events\":[{\"id_str\":\"" + quote
                + "\",\"text\":\"" + quoteText + "\",\"user\":{\"id_str\":\"" + quoter + "\"},\"is_quote_status\":true,"
                + "\"quoted_status_id_str\":\"" + post + "\",\"quoted_status\":" + v1Post(post, author, text)
                + ",\"timestamp_ms\":\"1764590000000\"}]}");
        deliver("{\"for_user_id\":\"" + reposter + "\",\"tweet_create_events\":[{\"id_str\":\"" + repost
                + "\",\"text\":\"RT @someone: " + text.substring(0, 10) + "\",\"user\":{\"id_str\":\"" + reposter
                + "\"},\"retweeted_status\":" + v1Post(post, author, text) + ",\"timestamp_ms\":\"1764590000000\"}]}");
        deliver("{\"data\":{\"event_uuid\":\"" + randomId() + "\",\"filter\":{\"user_id\":\"" + quoter
                + "\"},\"event_type\":\"post.quote.create\",\"payload\":{\"id\":\"" + xaaPost
                + "\",\"text\":\"xaa quote " + xaaPost + "\",\"author_id\":\"" + quoter + "\",\"referenced_tweets\":"
                + "[{\"type\":\"quoted\",\"id\":\"" + post + "\"}]},\"includes\":{\"tweets\":[{\"id\":\"" + post
                + "\",\"text\":\"" + text + "\",\"author_id\":\"" + author + "\"}]}}}");
        deliver("{\"data\":{\"id\":\"" + streamPost + "\",\"text\":\"stream reply " + streamPost
                + "\",\"edit_history_tweet_ids\":[\"" + streamPost + "\"]},\"includes\":{\"tweets\":[{\"id\":\"" + post
                + "\",\"text\":\"" + text + "\",\"edit_history_tweet_ids\":[\"" + post + "\"]}]},"
                + "\"matching_rules\":[{\"id\":\"1\",\"tag\":\"t\"}]}");
        new Db(dataSource).awaitProjected();
        assertEquals(4, countBodiesWith(text), "the text is in every body");

        // When
        deliver(deleteOf(author, post));
        awaitPurgeDone("POST", post);

        // Then: the deleted post's words are nowhere; the posts that carried it keep their own
        assertEquals(List.of(), tablesContaining(text));
        assertEquals(List.of(), tablesContaining(text.substring(0, 10)), "the repost's event carried the original");
        for (String own : List.of(quoteText, "xaa quote " + xaaPost, "stream reply " + streamPost)) {
            assertFalse(tablesContaining(own).isEmpty(), own + " is someone else's content");
        }
        Db db = new Db(dataSource);
        assertEquals(
                1,
                db.count(
                        "SELECT count(*) FROM activity_event WHERE event_key = ? AND purged_at IS NULL",
                        "aaa:" + quoter + ":tweet:" + quote));
        assertEquals(
                1,
                db.count(
                        "SELECT count(*) FROM activity_event WHERE event_key = ? AND purged_at IS NOT NULL",
                        "aaa:" + reposter + ":tweet:" + repost));
    }

    @Test
    void aQuoteOfAPostDeletedBeforeItArrivesIsStoredWithoutThePost() {
        // Given: the post is deleted
        String author = randomId();
        String post = randomId();
        String text = "gone before " + post;
        deliver(deleteOf(author, post));
        awaitPurgeDone("POST", post);

        // When: a late quote of it arrives
        String quoter = randomId();
        String quote = randomId();
        deliver("{\"for_user_id\":\"" + quoter + "\",\"tweet_create_events\":[{\"id_str\":\"" + quote
                + "\",\"text\":\"still mine " + quote + "\",\"user\":{\"id_str\":\"" + quoter
                + "\"},\"quoted_status\":" + v1Post(post, author, text) + ",\"timestamp_ms\":\"1764590000000\"}]}");
        new Db(dataSource).awaitProjected();

        // Then
        assertEquals(List.of(), tablesContaining(text));
        assertFalse(tablesContaining("still mine " + quote).isEmpty());
    }

    @Test
    void aUserWhoReauthorizesAndRevokesAgainLosesWhatCameInBetween() {
        // Given: a revocation, then a re-authorization and a new DM
        String user = randomId();
        String friend = randomId();
        deliver(revoke(user, "2026-11-30T09:48:12+00:00"));
        awaitPurgeDone("USER", user);
        String words = "after re-auth " + randomId();
        deliver(directMessage(user, friend, words)
                .replace("1764590000000", String.valueOf(System.currentTimeMillis())));
        new Db(dataSource).awaitProjected();
        assertFalse(tablesContaining(words).isEmpty(), "delivered after the first revocation: kept");

        // When: the user revokes again (and X replays the first revocation too)
        deliver(revoke(user, java.time.Instant.now().plusSeconds(1).toString()));
        deliver(revoke(user, "2026-11-30T09:48:12+00:00"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> new Db(dataSource)
                                .count("SELECT count(*) FROM purge WHERE subject_id = ? AND done_at IS NOT NULL", user)
                        == 2);

        // Then
        assertEquals(List.of(), tablesContaining(words));
        assertEquals(2, new Db(dataSource).count("SELECT count(*) FROM purge WHERE subject_id = ?", user));
    }

    @Test
    void aDeliveryForSeveralAccountsIsPurgedWithAnyOfThem() {
        // Given: one X Activity delivery carrying a DM for each of two users
        String first = randomId();
        String second = randomId();
        String words = "shared delivery " + randomId();
        deliver("{\"data\":[" + xaaDm(first, words) + "," + xaaDm(second, "other words " + randomId()) + "]}");
        Db db = new Db(dataSource).awaitProjected();
        assertEquals(2, db.count("SELECT count(*) FROM delivery_account WHERE account_id IN (?, ?)", first, second));

        // When: the second user revokes
        deliver(revoke(second, java.time.Instant.now().plusSeconds(1).toString()));
        awaitPurgeDone("USER", second);

        // Then: the delivery that carried the second user's DM is gone, the first user's words with it
        assertEquals(List.of(), tablesContaining("other words"));
        assertTrue(tablesContaining(words).contains("activity_event.payload"), "the first user's event stays");
    }

    @Test
    void aPostThatArrivesAfterItsDeletionIsStoredPurged() {
        // Given: deliveries out of order (a late retry of the post after the delete)
        String author = randomId();
        String post = randomId();
        deliver(deleteOf(author, post));

        // When
        deliver(new String(tweet(author, post), StandardCharsets.UTF_8));

        // Then
        assertEquals(List.of(), tablesContaining("hello " + post));
    }

    @Test
    void aRevokingUsersPrivateContentIsPurgedAndStaysPurged() {
        try (CloudEventsConsumer consumer = new CloudEventsConsumer(TOPIC)) {
            // Given: a DM, typing and a read receipt delivered for the user, and a post of someone else's
            String user = randomId();
            String friend = randomId();
            String words = "private words " + randomId();
            String dm = directMessage(user, friend, words);
            deliver(dm);
            deliver(typing(user, friend));
            deliver(read(user, friend));
            String otherAccount = randomId();
            String otherPost = randomId();
            deliver(new String(tweet(otherAccount, otherPost), StandardCharsets.UTF_8));
            assertFalse(tablesContaining(words).isEmpty());

            // When: the user revokes the app
            deliver("{\"user_event\":{\"revoke\":{\"date_time\":\"2026-11-30T09:48:12+00:00\",\"target\":"
                    + "{\"app_id\":\"13090192\"},\"source\":{\"user_id\":\"" + user + "\"}}}}");
            awaitPurgeDone("USER", user);

            // Then: nothing the user had delivered keeps its content; the revoke itself stays; others are intact
            assertEquals(List.of(), tablesContaining(words));
            Db db = new Db(dataSource);
            assertEquals(
                    0,
                    db.count(
                            "SELECT count(*) FROM activity_event WHERE account_id = ? AND purged_at IS NULL"
                                    + " AND event_type <> 'app.revoked'",
                            user));
            assertEquals(
                    3,
                    db.count(
                            "SELECT count(*) FROM activity_event WHERE account_id = ? AND purged_at IS NOT NULL",
                            user));
            assertFalse(tablesContaining("hello " + otherPost).isEmpty(), "another account's post is untouched");
            consumer.pollUntil(
                    r -> r.stream().anyMatch(e -> "io.xwr.app.revoked".equals(e.type()) && user.equals(e.key())),
                    Duration.ofSeconds(30));

            // When: a replay delivers the DM again
            deliver(dm);

            // Then
            assertEquals(List.of(), tablesContaining(words));
        }
    }

    @Test
    void anXActivityRevocationPurgesTheUsersXActivityEvents() {
        // Given
        String user = randomId();
        String words = "xaa words " + randomId();
        deliver("{\"data\":{\"event_uuid\":\"" + randomId() + "\",\"filter\":{\"user_id\":\"" + user + "\"},"
                + "\"event_type\":\"dm.received\",\"payload\":{\"direct_message_events\":[{\"type\":\"message_create\","
                + "\"id\":\"" + randomId()
                + "\",\"created_timestamp\":\"1784927565236\",\"message_create\":{\"target\":"
                + "{\"recipient_id\":\"" + user
                + "\"},\"sender_id\":\"2222222222222222222\",\"message_data\":{\"text\":\""
                + words + "\"}}}]}}}");
        assertFalse(tablesContaining(words).isEmpty());

        // When
        deliver("{\"data\":{\"event_uuid\":\"" + randomId() + "\",\"filter\":{},\"event_type\":\"oauth.revoke\","
                + "\"payload\":{\"date_time\":\"2026-11-30T21:44:05+00:00\",\"user_id\":\"" + user
                + "\",\"app_id\":\"29820954\"}}}");
        awaitPurgeDone("USER", user);

        // Then
        assertEquals(List.of(), tablesContaining(words));
    }

    @Test
    void anOperatorPurgeIsAuditedWithItsReasonAndWithoutTheContent() {
        // Given
        String author = randomId();
        String post = randomId();
        deliver(new String(tweet(author, post), StandardCharsets.UTF_8));

        // When: X asks by e-mail, and the operator purges the post
        String location = given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body("{\"kind\":\"post\",\"id\":\"" + post + "\",\"reason\":\"X compliance request 42\"}")
                .post("/admin/purges")
                .then()
                .statusCode(202)
                .body("reason", equalTo("REQUESTED"))
                .extract()
                .header("Location");
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> given().header("Authorization", ADMIN)
                                .get(location)
                                .jsonPath()
                                .getString("doneAt")
                        != null);

        // Then
        assertEquals(List.of(), tablesContaining("hello " + post));
        String audit = given().header("Authorization", ADMIN)
                .get(location)
                .then()
                .statusCode(200)
                .body("kind", equalTo("POST"))
                .body("subjectId", equalTo(post))
                .body("note", equalTo("X compliance request 42"))
                .body("eventsPurged", greaterThanOrEqualTo(1))
                .body("deliveriesPurged", greaterThanOrEqualTo(1))
                .extract()
                .asString();
        assertFalse(audit.contains("hello " + post));
    }

    @Test
    void refusesPurgeRequestsItCannotCarryOut() {
        for (String body : List.of(
                "{\"kind\":\"tweet\",\"id\":\"1\",\"reason\":\"r\"}",
                "{\"kind\":\"post\",\"id\":\"not-an-id\",\"reason\":\"r\"}",
                "{\"kind\":\"user\",\"id\":\"1\"}",
                "{\"kind\":\"user\",\"id\":\"1\",\"reason\":\" \"}")) {
            given().header("Authorization", ADMIN)
                    .contentType("application/json")
                    .body(body)
                    .post("/admin/purges")
                    .then()
                    .statusCode(400);
        }
        given().contentType("application/json")
                .body("{\"kind\":\"user\",\"id\":\"1\",\"reason\":\"r\"}")
                .post("/admin/purges")
                .then()
                .statusCode(401);
    }

    @Test
    void retentionDeletesWhatIsOlderThanTheLimitAndNothingElse() {
        // Given: one delivery aged past the 30 days, one fresh
        String account = randomId();
        String oldPost = randomId();
        String newPost = randomId();
        deliver(new String(tweet(account, oldPost), StandardCharsets.UTF_8));
        deliver(new String(tweet(account, newPost), StandardCharsets.UTF_8));
        Db db = new Db(dataSource);
        String oldKey = "aaa:" + account + ":tweet:" + oldPost;
        long oldDelivery =
                ((Number) db.single("SELECT delivery_id FROM activity_event WHERE event_key = ?", oldKey)).longValue();
        // and an unparseable delivery (quarantined), and two outbox rows Kafka refused and nobody released
        String garbage = "{not json " + randomId();
        deliver(garbage);
        db.awaitProjected();
        long unparseable = ((Number) db.single(
                        "SELECT id FROM raw_delivery WHERE position(convert_to(?, 'UTF8') in body) > 0", garbage))
                .longValue();
        String oldParked = "parked:" + randomId();
        String newParked = "parked:" + randomId();
        // PostgreSQL keeps the raw log by day: the days the aged delivery moves to exist first (a month back)
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        partitions.create(today.minusDays(31));
        partitions.create(today.minusDays(32));
        try (var connection = dataSource.getConnection();
                var age = connection.createStatement()) {
            age.executeUpdate("UPDATE activity_event SET recorded_at = recorded_at - INTERVAL '31 days'"
                    + " WHERE event_key = '" + oldKey + "'");
            age.executeUpdate("UPDATE raw_delivery SET received_at = received_at - INTERVAL '31 days' WHERE id IN ("
                    + oldDelivery + ", " + unparseable + ")");
            // an account X stopped refreshing a month ago (its tokens already gone)
            age.executeUpdate("INSERT INTO x_account (user_id, scopes, event_types, state, connected_at, updated_at)"
                    + " VALUES ('" + account + "', 'users.read', 'dm.received', 'NEEDS_REAUTHORIZATION',"
                    + " CURRENT_TIMESTAMP - INTERVAL '40 days', CURRENT_TIMESTAMP - INTERVAL '31 days')");
            for (String key : List.of(oldParked, newParked)) {
                String when = key.equals(oldParked) ? "CURRENT_TIMESTAMP - INTERVAL '31 days'" : "CURRENT_TIMESTAMP";
                age.executeUpdate(
                        "INSERT INTO outbox (lane, event_key, topic, message_key, event_type, ce_time, payload,"
                                + " created_at, attempts, last_error, parked_at) VALUES (0, '" + key
                                + "', 'bad topic!', 'k',"
                                + " 'unknown', " + when + ", '', " + when + ", 5, 'invalid topic', " + when
                                + ")");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }

        // When
        Retention.Removed removed = retention.run();

        // Then
        assertNotNull(removed, "the only replica holds the retention lease");
        // on PostgreSQL the aged delivery's whole day goes; on other databases the row
        assertTrue(
                removed.events() >= 1
                        && (removed.deliveries() >= 1 || !removed.days().isEmpty()),
                removed.toString());
        assertEquals(0, db.count("SELECT count(*) FROM activity_event WHERE event_key = ?", oldKey));
        assertEquals(0, db.count("SELECT count(*) FROM raw_delivery WHERE id = ?", oldDelivery));
        assertEquals(0, db.count("SELECT count(*) FROM raw_delivery WHERE id = ?", unparseable));
        assertEquals(0, db.count("SELECT count(*) FROM quarantine WHERE delivery_id = ?", unparseable));
        assertEquals(1, removed.parked(), removed.toString());
        assertEquals(0, db.count("SELECT count(*) FROM x_account WHERE user_id = ?", account));
        assertEquals(0, db.count("SELECT count(*) FROM outbox WHERE event_key = ?", oldParked));
        assertEquals(1, db.count("SELECT count(*) FROM outbox WHERE event_key = ?", newParked));
        try (var connection = dataSource.getConnection();
                var cleanUp = connection.createStatement()) {
            cleanUp.executeUpdate("DELETE FROM outbox WHERE event_key = '" + newParked + "'");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertEquals(
                1,
                db.count(
                        "SELECT count(*) FROM activity_event WHERE event_key = ?",
                        "aaa:" + account + ":tweet:" + newPost));
    }

    private void awaitPurgeDone(String kind, String subject) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonPath purges =
                    given().header("Authorization", ADMIN).get("/admin/purges").jsonPath();
            return purges.getList("findAll { it.kind == '" + kind + "' && it.subjectId == '" + subject
                                    + "' && it.doneAt != null }")
                            .size()
                    > 0;
        });
    }

    private List<String> tablesContaining(String needle) {
        return new Db(dataSource).tablesContaining(needle);
    }

    private static String deleteOf(String author, String post) {
        return "{\"for_user_id\":\"" + author + "\",\"tweet_delete_events\":[{\"status\":{\"id\":\"" + post
                + "\",\"user_id\":\"" + author + "\"},\"timestamp_ms\":\"1764590000000\"}]}";
    }

    private static String v1Post(String id, String author, String text) {
        return "{\"id_str\":\"" + id + "\",\"text\":\"" + text.substring(0, 10) + "\",\"truncated\":true,"
                + "\"extended_tweet\":{\"full_text\":\"" + text + "\"},\"user\":{\"id_str\":\"" + author + "\"}}";
    }

    private static String revoke(String user, String at) {
        return "{\"user_event\":{\"revoke\":{\"date_time\":\"" + at + "\",\"target\":{\"app_id\":\"13090192\"},"
                + "\"source\":{\"user_id\":\"" + user + "\"}}}}";
    }

    private static String xaaDm(String user, String words) {
        return "{\"event_uuid\":\"" + randomId() + "\",\"filter\":{\"user_id\":\"" + user + "\"},"
                + "\"event_type\":\"dm.received\",\"payload\":{\"direct_message_events\":[{\"type\":\"message_create\","
                + "\"id\":\"" + randomId()
                + "\",\"created_timestamp\":\"1764590000000\",\"message_create\":{\"target\":"
                + "{\"recipient_id\":\"" + user
                + "\"},\"sender_id\":\"2222222222222222222\",\"message_data\":{\"text\":\""
                + words + "\"}}}]}}";
    }

    private long countBodiesWith(String text) {
        return new Db(dataSource)
                .count("SELECT count(*) FROM raw_delivery WHERE position(convert_to(?, 'UTF8') in body) > 0", text);
    }

    private static String like(String liker, String post, String author, String text) {
        return "{\"for_user_id\":\"" + liker + "\",\"favorite_events\":[{\"id\":\"" + randomId()
                + "\",\"created_at\":\"Mon Mar 26 16:33:26 +0000 2018\",\"timestamp_ms\":1522082006140,"
                + "\"favorited_status\":{\"id_str\":\"" + post + "\",\"text\":\"" + text + "\",\"user\":{\"id_str\":\""
                + author + "\"}},\"user\":{\"id_str\":\"" + liker + "\"}}]}";
    }

    private static String directMessage(String user, String friend, String text) {
        return "{\"for_user_id\":\"" + user + "\",\"direct_message_events\":[{\"type\":\"message_create\",\"id\":\""
                + randomId() + "\",\"created_timestamp\":\"1764590000000\",\"message_create\":{\"target\":"
                + "{\"recipient_id\":\"" + friend + "\"},\"sender_id\":\"" + user + "\",\"message_data\":{\"text\":\""
                + text + "\"}}}]}";
    }

    private static String typing(String user, String friend) {
        return "{\"for_user_id\":\"" + user + "\",\"direct_message_indicate_typing_events\":[{\"created_timestamp\":"
                + "\"1764590000000\",\"sender_id\":\"" + friend + "\",\"target\":{\"recipient_id\":\"" + user
                + "\"}}]}";
    }

    private static String read(String user, String friend) {
        return "{\"for_user_id\":\"" + user + "\",\"direct_message_mark_read_events\":[{\"created_timestamp\":"
                + "\"1764590000000\",\"sender_id\":\"" + friend + "\",\"target\":{\"recipient_id\":\"" + user
                + "\"},\"last_read_event_id\":\"" + randomId() + "\"}]}";
    }
}
