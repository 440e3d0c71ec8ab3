package io.xwr.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xwr.event.ActivityEvent.AppAccessRevoked;
import io.xwr.event.ActivityEvent.ChatConversationChanged;
import io.xwr.event.ActivityEvent.ConversationChange;
import io.xwr.event.ActivityEvent.DirectMessageReceived;
import io.xwr.event.ActivityEvent.DirectMessagesRead;
import io.xwr.event.ActivityEvent.MatchingRule;
import io.xwr.event.ActivityEvent.PostCreated;
import io.xwr.event.ActivityEvent.PostLiked;
import io.xwr.event.ActivityEvent.PostRelation;
import io.xwr.event.ActivityEvent.ProfileField;
import io.xwr.event.ActivityEvent.ProfileUpdated;
import io.xwr.event.ActivityEvent.ReplayJobFinished;
import io.xwr.event.ActivityEvent.StreamPostMatched;
import io.xwr.event.ActivityEvent.UnknownActivity;
import io.xwr.event.ActivityEvent.UserFollowed;
import io.xwr.testing.HostileBodies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The facts each family yields, and that no input makes the normalizer throw. */
class DeliveryNormalizerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DeliveryNormalizer NORMALIZER = new DeliveryNormalizer(MAPPER);

    @Test
    void readsAaaPostRelationsAndTimes() throws IOException {
        PostCreated own = (PostCreated) only("aaa/post.json");
        assertEquals(PostRelation.AUTHORED, own.relation());
        assertEquals("2244994945", own.authorId());
        assertEquals(Instant.ofEpochMilli(1747663306000L), own.occurredAt());
        assertEquals(PostRelation.REPLY, ((PostCreated) only("aaa/post-reply.json")).relation());
        assertEquals("1924400000000000001", ((PostCreated) only("aaa/post-reply.json")).inReplyToPostId());
        assertEquals("1924400000000000001", ((PostCreated) only("aaa/post-repost.json")).repostedPostId());
        assertEquals(PostRelation.REPOST, ((PostCreated) only("aaa/post-repost.json")).relation());
        assertEquals(PostRelation.QUOTE, ((PostCreated) only("aaa/post-quote.json")).relation());
        assertEquals("1924400000000000001", ((PostCreated) only("aaa/post-quote.json")).quotedPostId());
        PostCreated mention = (PostCreated) only("aaa/post-mention.json");
        assertEquals(PostRelation.MENTION, mention.relation());
        assertEquals("783214", mention.authorId());
    }

    @Test
    void takesTheFullTextOfALongPost() throws IOException {
        PostCreated post = (PostCreated) only("aaa/post-long.json");
        assertTrue(post.text().endsWith("like @XDevelopers here."), post.text());
    }

    @Test
    void relationsOfSomeoneElsesPostAreAboutTheAccountsOwnPost() {
        String replyToOther = "{\"for_user_id\":\"1\",\"tweet_create_events\":[{\"id_str\":\"7\",\"text\":\"@1 @3"
                + " hi\",\"user\":{\"id_str\":\"2\"},\"in_reply_to_status_id_str\":\"6\",\"in_reply_to_user_id_str\":\"3\"}]}";
        assertEquals(PostRelation.MENTION, relation(replyToOther), "a reply to user 3 that mentions the account");
        String replyToAccount =
                replyToOther.replace("\"in_reply_to_user_id_str\":\"3\"", "\"in_reply_to_user_id_str\":\"1\"");
        assertEquals(PostRelation.REPLY, relation(replyToAccount));
        String quoteOfOther = "{\"for_user_id\":\"1\",\"tweet_create_events\":[{\"id_str\":\"8\",\"text\":\"@1 look\","
                + "\"user\":{\"id_str\":\"2\"},\"is_quote_status\":true,\"quoted_status_id_str\":\"5\",\"quoted_status\":"
                + "{\"id_str\":\"5\",\"user\":{\"id_str\":\"3\"}}}]}";
        assertEquals(
                PostRelation.MENTION, relation(quoteOfOther), "a quote of user 3's post that mentions the account");
        assertEquals(
                PostRelation.QUOTE, relation(quoteOfOther.replace("{\"id_str\":\"3\"}}}", "{\"id_str\":\"1\"}}}")));
        String repostOfAccount = "{\"for_user_id\":\"1\",\"tweet_create_events\":[{\"id_str\":\"9\",\"text\":\"RT @one:"
                + " x\",\"user\":{\"id_str\":\"2\"},\"retweeted_status\":{\"id_str\":\"5\",\"text\":\"x\",\"user\":"
                + "{\"id_str\":\"1\"}}}]}";
        assertEquals(PostRelation.REPOST, relation(repostOfAccount));
    }

    private static PostRelation relation(String body) {
        return ((PostCreated) NORMALIZER
                        .normalize(body.getBytes(StandardCharsets.UTF_8))
                        .events()
                        .getFirst())
                .relation();
    }

    @Test
    void undoesXsHtmlEscapingInAPostsText() {
        byte[] body = ("{\"for_user_id\":\"1\",\"tweet_create_events\":[{\"id_str\":\"5\",\"text\":\"a &lt;b&gt; &amp;"
                        + " c &amp;amp; d\",\"user\":{\"id_str\":\"1\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        PostCreated post = (PostCreated) NORMALIZER.normalize(body).events().getFirst();
        assertEquals("a <b> & c &amp; d", post.text());
    }

    @Test
    void aRepostCarriesTheOriginalsFullTextNotTheTruncatedRt() {
        byte[] body = ("{\"for_user_id\":\"1\",\"tweet_create_events\":[{\"id_str\":\"6\",\"text\":\"RT @two: the"
                        + " begin\u2026\",\"user\":{\"id_str\":\"1\"},\"retweeted_status\":{\"id_str\":\"5\",\"text\":"
                        + "\"the begin\u2026\",\"truncated\":true,\"user\":{\"id_str\":\"2\"},\"extended_tweet\":"
                        + "{\"full_text\":\"the beginning, the middle &amp; the end\"}}}]}")
                .getBytes(StandardCharsets.UTF_8);
        PostCreated post = (PostCreated) NORMALIZER.normalize(body).events().getFirst();
        assertEquals(PostRelation.REPOST, post.relation());
        assertEquals("5", post.repostedPostId());
        assertEquals("the beginning, the middle & the end", post.text());
    }

    @Test
    void aChatEventWithoutFilterBelongsToItsParticipant() throws IOException {
        String received = Files.readString(Path.of("src/test/resources/fixtures/xaa/chat.received.json"))
                .replace("\"filter\":{\"user_id\":\"1111111111111111111\"},", "");
        ActivityEvent r = NORMALIZER
                .normalize(received.getBytes(StandardCharsets.UTF_8))
                .events()
                .getFirst();
        assertEquals("1111111111111111111", r.accountId(), "received: the participant that did not send it");

        String sent = received.replace("\"chat.received\"", "\"chat.sent\"")
                .replace("\"sender_id\":\"2222222222222222222\"", "\"sender_id\":\"1111111111111111111\"")
                .replace("1111111111111111111:2222222222222222222", "2222222222222222222-1111111111111111111");
        ActivityEvent s = NORMALIZER
                .normalize(sent.getBytes(StandardCharsets.UTF_8))
                .events()
                .getFirst();
        assertEquals("1111111111111111111", s.accountId(), "sent: the sender, whose activity it is");

        String group = received.replace("1111111111111111111:2222222222222222222", "g1234567890");
        ActivityEvent g = NORMALIZER
                .normalize(group.getBytes(StandardCharsets.UTF_8))
                .events()
                .getFirst();
        assertNull(g.accountId(), "a group conversation names no one account");
    }

    @Test
    void keepsSixtyFourBitIdsExact() {
        // 1924465506158878979 is not representable as a double (it would become ...8980).
        byte[] body =
                "{\"for_user_id\":\"1\",\"tweet_create_events\":[{\"id\":1924465506158878979,\"text\":\"x\",\"user\":{\"id\":9007199254740993}}]}"
                        .getBytes(StandardCharsets.UTF_8);
        PostCreated post = (PostCreated) NORMALIZER.normalize(body).events().getFirst();
        assertEquals("1924465506158878979", post.postId());
        assertEquals("9007199254740993", post.authorId());
        assertEquals("aaa:1:tweet:1924465506158878979", post.key().value());
    }

    @Test
    void refusesAFloatingPointNumberAsAnId() {
        byte[] body = "{\"for_user_id\":\"1\",\"tweet_create_events\":[{\"id\":1.9244655061588790E18}]}"
                .getBytes(StandardCharsets.UTF_8);
        Normalization n = NORMALIZER.normalize(body);
        assertInstanceOf(UnknownActivity.class, n.events().getFirst());
        assertEquals(ParseStatus.UNKNOWN, n.status());
    }

    @Test
    void readsLikesDmsAndReadsWithTheirDirection() throws IOException {
        PostLiked like = (PostLiked) only("aaa/like.json");
        assertEquals("783214", like.likerId());
        assertEquals("977921432000000000", like.postId());
        assertEquals("2244994945", like.postAuthorId());
        assertEquals(Instant.ofEpochMilli(1522082006140L), like.occurredAt());

        DirectMessageReceived dm = (DirectMessageReceived) only("aaa/dm-received.json");
        assertEquals("3001969357", dm.senderId());
        assertEquals("4337869213", dm.recipientId());
        assertEquals("Hello World & good wishes.", dm.text(), "X's HTML escaping undone; the raw keeps it");

        DirectMessagesRead read = (DirectMessagesRead) only("aaa/read.json");
        assertEquals("1693649419", read.readerId());
        assertEquals("1247310121283321862", read.lastReadMessageId());

        PostLiked xaaLike = (PostLiked) only("xaa/like.create.json");
        assertEquals("1111111111111111111", xaaLike.likerId());
        assertEquals("2079814480427442556", xaaLike.postId());
    }

    @Test
    void readsFollowUsersWhetherIdIsStringOrWrappedInData() throws IOException {
        UserFollowed aaa = (UserFollowed) only("aaa/follow.json");
        assertEquals("1245855954975051776", aaa.sourceUserId());
        assertEquals("1693649419", aaa.targetUserId());
        UserFollowed xaa = (UserFollowed) only("xaa/follow.follow.json");
        assertEquals("1111111111111111111", xaa.sourceUserId());
        assertEquals("2244994945", xaa.targetUserId());
    }

    @Test
    void readsRevokesOfBothFamilies() throws IOException {
        AppAccessRevoked aaa = (AppAccessRevoked) only("aaa/revoke.json");
        assertEquals("63046977", aaa.userId());
        assertEquals("13090192", aaa.appId());
        assertEquals(Instant.parse("2018-05-24T09:48:12Z"), aaa.occurredAt());
        AppAccessRevoked xaa = (AppAccessRevoked) only("xaa/oauth.revoke.json");
        assertEquals("1111111111111111111", xaa.userId());
        assertEquals(Instant.parse("2026-07-23T21:44:05Z"), xaa.occurredAt());
    }

    @Test
    void mapsLegacyXaaNamesToCanonicalOnes() throws IOException {
        ProfileUpdated legacy = (ProfileUpdated) only("xaa/legacy-ProfileBioUpdate.json");
        assertEquals(ProfileField.BIO, legacy.field());
        assertEquals("ProfileBioUpdate", legacy.sourceType());
        assertEquals("new bio", legacy.after());
        assertEquals(
                ProfileField.VERIFIED_BADGE,
                ((ProfileUpdated) only("xaa/legacy-profile.update.verified.json")).field());
        assertEquals(
                ConversationChange.JOINED,
                ((ChatConversationChanged) only("xaa/legacy-chat.conversation_join.json")).change());
    }

    @Test
    void relatesXaaPostsToTheSubscribedUser() throws IOException {
        assertEquals(PostRelation.AUTHORED, ((PostCreated) only("xaa/post.create.json")).relation());
        assertEquals(PostRelation.MENTION, ((PostCreated) only("xaa/post.mention.create.json")).relation());
        PostCreated reply = (PostCreated) only("xaa/post.reply.create.json");
        assertEquals(PostRelation.REPLY, reply.relation());
        assertEquals("2080761390344937796", reply.inReplyToPostId());
        assertEquals(Instant.parse("2026-08-12T18:00:00Z"), reply.occurredAt());
        assertEquals(PostRelation.QUOTE, ((PostCreated) only("xaa/post.quote.create.json")).relation());
        assertEquals("2080761390344937796", ((PostCreated) only("xaa/post.repost.create.json")).repostedPostId());
    }

    @Test
    void keepsMatchingRulesOfStreamPosts() throws IOException {
        StreamPostMatched post = (StreamPostMatched) only("stream/post.json");
        assertEquals(
                List.of(
                        new MatchingRule("120897978112909812", "api-posts"),
                        new MatchingRule("120897978112909813", null)),
                post.rules());
        assertEquals(Family.STREAM, post.family());
    }

    /**
     * A signed 1 MiB body of tiny elements: at most the limit of events, the rest kept as one unknown activity that
     * says how many, and the whole run (normalize, then write every event's JSON as the recorder does) allocates
     * within a fixed budget on this thread: 64 MiB for 1 MiB of input (measured: 41, 15 and 23 MiB, most of it
     * Jackson's tree of up to 350,000 nodes; before the limit, the DM flood alone wrote 1 GB of event JSON).
     */
    @Test
    void boundsTheEventsAndTheWorkOfAHostileBody() {
        EventJson json = new EventJson(MAPPER);
        for (byte[] body : List.of(
                HostileBodies.tinyActivities(1 << 20, "1"),
                HostileBodies.streamPostsWithDeepIncludes(1 << 20, "9"),
                HostileBodies.directMessageFlood(1 << 20, "u-1"))) {
            // When
            long before = allocatedBytes();
            Normalization n = NORMALIZER.normalize(body);
            long written = 0;
            for (ActivityEvent event : n.events()) {
                written += json.write(event).length();
            }
            long allocated = allocatedBytes() - before;

            // Then
            assertEquals(DeliveryNormalizer.DEFAULT_MAX_EVENTS + 1, n.events().size(), n.problem());
            assertEquals(ParseStatus.UNKNOWN, n.status());
            ActivityEvent overflow = n.events().getLast();
            assertInstanceOf(UnknownActivity.class, overflow);
            int omitted = overflow.meta().source().get("omittedElements").asInt();
            assertTrue(omitted > 10_000, "omitted " + omitted);
            assertTrue(n.problem().startsWith(omitted + " elements beyond the limit of 1000"), n.problem());
            assertTrue(written < 8 << 20, "event JSON written: " + written);
            assertTrue(allocated < 64 << 20, "allocated " + (allocated >> 20) + " MiB");
        }
    }

    @Test
    void aStreamPostsSourceIsThePostNotTheEnvelope() {
        byte[] body = ("{\"data\":[{\"id\":\"70\",\"text\":\"a\"},{\"id\":\"71\",\"text\":\"b\"}],"
                        + "\"includes\":{\"users\":[{\"id\":\"9\"}]},"
                        + "\"matching_rules\":[{\"id\":\"1\",\"tag\":\"t\"},{\"id\":\"2\"}]}")
                .getBytes(StandardCharsets.UTF_8);

        List<ActivityEvent> events = NORMALIZER.normalize(body).events();

        StreamPostMatched first = (StreamPostMatched) events.getFirst();
        assertEquals("70", first.postId());
        assertEquals("70", first.meta().source().path("id").asText());
        assertFalse(first.meta().source().has("includes"));
        assertEquals(List.of(new MatchingRule("1", "t"), new MatchingRule("2", null)), first.rules());
    }

    @Test
    void aStreamPostCarriesTheExpansionsItRefersToAndEveryFieldOfItsRules() {
        byte[] body = ("{\"data\":{\"id\":\"70\",\"text\":\"a\",\"author_id\":\"9\","
                        + "\"attachments\":{\"media_keys\":[\"3_1\"]}},"
                        + "\"includes\":{\"users\":[{\"id\":\"9\",\"username\":\"nine\"},{\"id\":\"10\"}],"
                        + "\"media\":[{\"media_key\":\"3_1\",\"type\":\"photo\"}]},"
                        + "\"matching_rules\":[{\"id\":\"1\",\"tag\":\"t\",\"embedding_similarity\":0.82,"
                        + "\"embedding_threshold\":\"0.3\",\"future_field\":true}]}")
                .getBytes(StandardCharsets.UTF_8);

        StreamPostMatched post =
                (StreamPostMatched) NORMALIZER.normalize(body).events().getFirst();

        assertEquals(List.of(new MatchingRule("1", "t", 0.82, 0.3)), post.rules());
        JsonNode envelope = post.meta().envelope();
        assertEquals(1, envelope.at("/includes/users").size(), envelope.toString());
        assertEquals("nine", envelope.at("/includes/users/0/username").asText());
        assertEquals("photo", envelope.at("/includes/media/0/type").asText());
        assertTrue(envelope.at("/matching_rules/0/future_field").asBoolean(), "every field X sent");
    }

    @Test
    void anEditedStreamPostNamesTheVersionsItSupersedes() {
        byte[] edit = ("{\"data\":{\"id\":\"72\",\"text\":\"v3\",\"edit_history_tweet_ids\":[\"70\",\"71\",\"72\"]},"
                        + "\"matching_rules\":[{\"id\":\"1\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] original = ("{\"data\":{\"id\":\"70\",\"text\":\"v1\",\"edit_history_tweet_ids\":[\"70\"]},"
                        + "\"matching_rules\":[{\"id\":\"1\"}]}")
                .getBytes(StandardCharsets.UTF_8);

        StreamPostMatched v3 =
                (StreamPostMatched) NORMALIZER.normalize(edit).events().getFirst();
        StreamPostMatched v1 =
                (StreamPostMatched) NORMALIZER.normalize(original).events().getFirst();

        assertEquals(List.of("70", "71"), v3.editOf());
        assertEquals("stream:72", v3.key().value());
        assertEquals(List.of(), v1.editOf());
    }

    @Test
    void aaaEventsCarryTheUsersAndAppsTheyNameAndTheMentionFlags() {
        String typing =
                "{\"for_user_id\":\"4337869213\",\"direct_message_indicate_typing_events\":[{\"created_timestamp\":"
                        + "\"1518127183443\",\"sender_id\":\"3284025577\",\"target\":{\"recipient_id\":\"3001969357\"}}],"
                        + "\"users\":{\"3284025577\":{\"id\":\"3284025577\",\"name\":\"Bogus\"},\"3001969357\":{\"id\":"
                        + "\"3001969357\"},\"1\":{\"id\":\"1\"}}}";
        String mention = "{\"for_user_id\":\"2244994945\",\"user_has_blocked\":\"false\",\"tweet_create_events\":"
                + "[{\"id_str\":\"1924470000000000001\",\"text\":\"@XDevelopers hello\",\"user\":{\"id_str\":\"783214\"},"
                + "\"in_reply_to_user_id_str\":\"2244994945\",\"timestamp_ms\":\"1747664400000\"}]}";

        JsonNode users = NORMALIZER
                .normalize(typing.getBytes(StandardCharsets.UTF_8))
                .events()
                .getFirst()
                .meta()
                .envelope()
                .path("users");
        JsonNode flags = NORMALIZER
                .normalize(mention.getBytes(StandardCharsets.UTF_8))
                .events()
                .getFirst()
                .meta()
                .envelope();

        assertEquals(List.of("3284025577", "3001969357"), List.copyOf(iterable(users.fieldNames())));
        assertEquals("false", flags.path("user_has_blocked").asText());
        assertFalse(flags.has("users"));
    }

    @Test
    void anEnvelopeTooLargeToCopyIntoEveryEventIsOnlyNoted() {
        String huge = "x".repeat(70_000);
        String dm = "{\"for_user_id\":\"5\",\"direct_message_indicate_typing_events\":[{\"created_timestamp\":"
                + "\"1\",\"sender_id\":\"6\",\"target\":{\"recipient_id\":\"5\"}}],"
                + "\"users\":{\"6\":{\"id\":\"6\",\"description\":\"" + huge + "\"}}}";

        JsonNode envelope = NORMALIZER
                .normalize(dm.getBytes(StandardCharsets.UTF_8))
                .events()
                .getFirst()
                .meta()
                .envelope();

        assertTrue(envelope.path("omitted").asText().startsWith("larger than"), envelope.toString());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> all = new java.util.ArrayList<>();
        it.forEachRemaining(all::add);
        return all;
    }

    @Test
    void aSmallerLimitKeepsTheFirstEventsInOrder() {
        DeliveryNormalizer three = new DeliveryNormalizer(MAPPER, 3, DeliveryNormalizer.DEFAULT_MAX_NODES);
        String body = "{\"for_user_id\":\"5\",\"follow_events\":["
                + "{\"type\":\"follow\",\"created_timestamp\":\"1\",\"source\":{\"id\":\"a\"},\"target\":{\"id\":\"5\"}},"
                + "{\"type\":\"follow\",\"created_timestamp\":\"2\",\"source\":{\"id\":\"b\"},\"target\":{\"id\":\"5\"}},"
                + "{\"type\":\"follow\",\"created_timestamp\":\"3\",\"source\":{\"id\":\"c\"},\"target\":{\"id\":\"5\"}},"
                + "{\"type\":\"follow\",\"created_timestamp\":\"4\",\"source\":{\"id\":\"d\"},\"target\":{\"id\":\"5\"}}]}";

        Normalization n = three.normalize(body.getBytes(StandardCharsets.UTF_8));

        assertEquals(
                List.of("a", "b", "c"),
                n.events().stream()
                        .limit(3)
                        .map(e -> ((UserFollowed) e).sourceUserId())
                        .toList());
        assertEquals("1 elements beyond the limit of 3 events per delivery; the raw delivery keeps them", n.problem());
        assertEquals(4, n.events().size());
        // the overflow is keyed by the body: a re-delivery of the same body adds no second one
        assertEquals(
                n.events().getLast().key(),
                three.normalize(body.getBytes(StandardCharsets.UTF_8))
                        .events()
                        .getLast()
                        .key());
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void readsReplayCompletion() throws IOException {
        ReplayJobFinished done = (ReplayJobFinished) only("replay/incomplete.json");
        assertEquals("Incomplete", done.state());
        assertEquals("1093226942650736640", done.jobId());
    }

    @Test
    void sameEventInDifferentFormattingYieldsTheSameKey() throws IOException {
        byte[] compact = Files.readAllBytes(FixtureNormalizationTest.FIXTURES.resolve("aaa/follow.json"));
        byte[] pretty = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(MAPPER.readTree(compact));
        assertEquals(keys(compact), keys(pretty));

        byte[] unknown = "{\"b\":1,\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8);
        byte[] reordered = "{ \"a\" : [1, 2], \"b\" : 1 }".getBytes(StandardCharsets.UTF_8);
        assertEquals(keys(unknown), keys(reordered));
    }

    @Test
    void canonicalFilterIsSortedWhateverTheOrderXSends() throws IOException {
        JsonNode a = MAPPER.readTree("{\"user_id\":\"1\",\"direction\":\"inbound\"}");
        JsonNode b = MAPPER.readTree("{\"direction\":\"inbound\",\"user_id\":\"1\"}");
        assertEquals("direction=inbound,user_id=1", XaaNormalizer.canonicalFilter(a));
        assertEquals(XaaNormalizer.canonicalFilter(a), XaaNormalizer.canonicalFilter(b));
    }

    @Test
    void fallsBackToAPayloadHashWhenEventUuidIsMissing() {
        byte[] body =
                "{\"data\":{\"filter\":{\"user_id\":\"7\"},\"event_type\":\"profile.update.bio\",\"payload\":{\"before\":\"a\",\"after\":\"b\"}}}"
                        .getBytes(StandardCharsets.UTF_8);
        String key = NORMALIZER.normalize(body).events().getFirst().key().value();
        assertTrue(key.matches("xaa:profile\\.update\\.bio:user_id=7:[0-9a-f]{64}"), key);
    }

    @Test
    void keepsOddElementsAsUnknownWithoutLosingTheirBatchMates() {
        byte[] body =
                "{\"for_user_id\":\"5\",\"tweet_create_events\":[{\"text\":\"no id\"},{\"id_str\":\"10\",\"text\":\"ok\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
        Normalization n = NORMALIZER.normalize(body);
        assertEquals(ParseStatus.UNKNOWN, n.status());
        assertInstanceOf(UnknownActivity.class, n.events().get(0));
        assertTrue(((UnknownActivity) n.events().get(0)).reason().contains("tweet_create_events"));
        assertEquals("aaa:5:tweet:10", n.events().get(1).key().value());
    }

    @Test
    void marksBodiesThatAreNotJsonObjectsUnparseable() {
        for (String body : List.of("", "not json", "[1,2]", "42", "\"text\"", "{\"a\":", "null")) {
            Normalization n = NORMALIZER.normalize(body.getBytes(StandardCharsets.UTF_8));
            assertEquals(ParseStatus.UNPARSEABLE, n.status(), body);
            assertTrue(n.events().isEmpty());
            assertNotNull(n.problem());
        }
    }

    @Test
    void keepsAnEnvelopeWithoutEventsAsOneUnknownActivity() {
        Normalization n = NORMALIZER.normalize(
                "{\"for_user_id\":\"1\",\"tweet_create_events\":[]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(ParseStatus.UNKNOWN, n.status());
        assertEquals(1, n.events().size());
        assertTrue(n.events().getFirst().key().value().startsWith("aaa:body:"));
    }

    @Test
    void neverThrowsOnMutatedDeliveries() throws IOException {
        // A seeded mutator over every fixture: byte flips, truncations, duplications and type swaps.
        List<byte[]> seeds = fixtures().map(DeliveryNormalizerTest::bytes).toList();
        Random random = new Random(20261122);
        String[] swaps = {"null", "1", "1.5e300", "\"\"", "[]", "{}", "true", "-0", "99999999999999999999999"};
        int understood = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] seed = seeds.get(random.nextInt(seeds.size()));
            String s = new String(seed, StandardCharsets.UTF_8);
            String mutated =
                    switch (random.nextInt(4)) {
                        case 0 -> {
                            byte[] b = seed.clone();
                            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                            yield new String(b, StandardCharsets.ISO_8859_1);
                        }
                        case 1 -> s.substring(0, random.nextInt(s.length()));
                        case 2 -> s.replaceFirst("\"[0-9a-z_.:-]+\"", swaps[random.nextInt(swaps.length)]);
                        default -> s.replaceFirst(":(\"[^\"]*\"|[0-9]+)", ":" + swaps[random.nextInt(swaps.length)]);
                    };
            Normalization n = NORMALIZER.normalize(mutated.getBytes(StandardCharsets.UTF_8));
            assertNotNull(n);
            if (n.status() != ParseStatus.UNPARSEABLE) {
                assertFalse(n.events().isEmpty(), mutated);
                understood++;
            }
        }
        assertTrue(understood > 1_000, "mutations still parseable: " + understood);
    }

    @Test
    void serializesEventsWithHeaderFactsAndSource() throws IOException {
        PostCreated post = (PostCreated) only("aaa/post.json");
        assertFalse(MAPPER.readTree(new EventJson(MAPPER).write(post)).has("source"), "stored: no copy of X's object");
        JsonNode json = MAPPER.readTree(new EventJson(MAPPER).writeWithSource(post));
        assertEquals(
                "aaa:2244994945:tweet:1924465506158878979", json.path("key").asText());
        assertEquals("post.created", json.path("type").asText());
        assertEquals("AAA", json.path("family").asText());
        assertEquals("2025-05-19T14:01:46Z", json.path("occurredAt").asText());
        assertEquals("AUTHORED", json.path("data").path("relation").asText());
        assertEquals("1924465506158878979", json.path("data").path("postId").asText());
        assertFalse(json.path("data").has("meta"));
        assertEquals("1924465506158878979", json.path("source").path("id_str").asText());
        assertNull(json.path("data").get("key"));
    }

    @Test
    void streamsExactlyTheJsonOfTheTreeItReplaced() {
        // The tree form the recorder stored before the payload was streamed: the stored and published shape must
        // not change with the way it is written.
        ObjectMapper quarkusLike = new ObjectMapper()
                .findAndRegisterModules()
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        int compared = 0;
        for (ObjectMapper mapper : List.of(MAPPER, quarkusLike)) {
            for (byte[] body : io.xwr.testing.Fixtures.payloads()) {
                for (ActivityEvent event :
                        new DeliveryNormalizer(mapper).normalize(body).events()) {
                    com.fasterxml.jackson.databind.node.ObjectNode tree = mapper.createObjectNode();
                    tree.put("key", event.key().value());
                    tree.put("type", event.type());
                    tree.put("family", event.family().name());
                    tree.put("accountId", event.accountId());
                    tree.put(
                            "occurredAt",
                            event.occurredAt() == null
                                    ? null
                                    : event.occurredAt().toString());
                    tree.put("sourceType", event.sourceType());
                    tree.set("data", mapper.valueToTree(event));
                    EventJson json = new EventJson(mapper);
                    String stored = json.write(event);
                    assertEquals(tree.toString(), stored, event.key().value());
                    // and the published form, composed from the stored one at publish time, is the whole event
                    tree.set("source", event.meta().source());
                    if (event.meta().envelope() != null) {
                        tree.set("envelope", event.meta().envelope());
                    }
                    assertEquals(
                            tree.toString(),
                            new String(
                                    EventJson.published(
                                            stored,
                                            json.bytes(event.meta().source()),
                                            json.bytes(event.meta().envelope())),
                                    StandardCharsets.UTF_8),
                            event.key().value());
                    assertEquals(
                            tree.toString(),
                            json.writeWithSource(event),
                            event.key().value());
                    compared++;
                }
            }
        }
        assertTrue(compared > 50, "events compared: " + compared);
    }

    private static ActivityEvent only(String fixture) throws IOException {
        Normalization n = NORMALIZER.normalize(Files.readAllBytes(FixtureNormalizationTest.FIXTURES.resolve(fixture)));
        assertEquals(1, n.events().size(), fixture);
        return n.events().getFirst();
    }

    private static List<String> keys(byte[] body) {
        return NORMALIZER.normalize(body).events().stream()
                .map(e -> e.key().value())
                .toList();
    }

    private static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> walk = Files.walk(FixtureNormalizationTest.FIXTURES)) {
            return walk.filter(p -> p.toString().endsWith(".json")).toList().stream();
        }
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
