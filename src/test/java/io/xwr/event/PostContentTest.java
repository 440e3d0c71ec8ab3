package io.xwr.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PostContentTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final DeliveryNormalizer normalizer = new DeliveryNormalizer(mapper);

    private static final String QUOTE = """
            {"for_user_id":"1","tweet_create_events":[{"id_str":"100","text":"my take","user":{"id_str":"1"},
             "quoted_status":{"id_str":"200","text":"their words","user":{"id_str":"2","description":"bio text"}},
             "timestamp_ms":"1764590000000"}]}""";

    @Test
    void findsEveryPostACarriesButNotUsersOrDeletionNotices() {
        String delete =
                "{\"for_user_id\":\"1\",\"tweet_delete_events\":[{\"status\":{\"id\":\"300\",\"user_id\":\"1\"},"
                        + "\"timestamp_ms\":\"1764590000000\"}]}";
        String stream = "{\"data\":{\"id\":\"400\",\"text\":\"s\",\"edit_history_tweet_ids\":[\"400\"]},"
                + "\"includes\":{\"tweets\":[{\"id\":\"401\",\"text\":\"t\"}],\"users\":[{\"id\":\"2\",\"name\":\"n\"}]},"
                + "\"matching_rules\":[{\"id\":\"9\"}]}";

        assertEquals(Set.of("100", "200"), normalizer.normalize(bytes(QUOTE)).contentPosts());
        assertEquals(Set.of(), normalizer.normalize(bytes(delete)).contentPosts());
        assertEquals(Set.of("400", "401"), normalizer.normalize(bytes(stream)).contentPosts());
    }

    @Test
    void cutsAQuotedPostOutAndKeepsTheQuoteAndItsKey() throws Exception {
        // When
        byte[] redacted = PostContent.redact(mapper, bytes(QUOTE), Set.of("200"), marker());

        // Then
        String text = new String(redacted, StandardCharsets.UTF_8);
        assertFalse(text.contains("their words"));
        assertFalse(text.contains("bio text"), "the quoted post's author object went with it");
        JsonNode quoted = mapper.readTree(redacted).at("/tweet_create_events/0/quoted_status");
        assertEquals("200", quoted.path("id_str").asText());
        assertEquals(7, quoted.at("/purged/purgeId").asInt());
        List<ActivityEvent> before = normalizer.normalize(bytes(QUOTE)).events();
        List<ActivityEvent> after = normalizer.normalize(redacted).events();
        assertEquals(before.getFirst().key(), after.getFirst().key());
        assertEquals("my take", ((ActivityEvent.PostCreated) after.getFirst()).text());
    }

    @Test
    void aRepostGoesWithItsOriginalAndAnEventsOwnPostKeepsItsKey() {
        String repost =
                "{\"for_user_id\":\"1\",\"tweet_create_events\":[{\"id_str\":\"500\",\"text\":\"RT @a: their w\","
                        + "\"user\":{\"id_str\":\"1\"},\"retweeted_status\":{\"id_str\":\"200\",\"text\":\"their words\"}}]}";

        byte[] redacted = PostContent.redact(mapper, bytes(repost), Set.of("200"), marker());

        String text = new String(redacted, StandardCharsets.UTF_8);
        assertFalse(text.contains("their w"), text);
        assertTrue(text.contains("\"id_str\":\"500\""), text);
        assertEquals(
                normalizer.normalize(bytes(repost)).events().getFirst().key(),
                normalizer.normalize(redacted).events().getFirst().key());
    }

    @Test
    void leavesBodiesWithoutThePostAlone() {
        assertNull(PostContent.redact(mapper, bytes(QUOTE), Set.of("999"), marker()));
        assertNull(PostContent.redact(mapper, bytes("{\"purged\":{\"purgeId\":1}}"), Set.of("200"), marker()));
        assertNull(PostContent.redact(mapper, bytes("not json"), Set.of("200"), marker()));
    }

    private ObjectNode marker() {
        ObjectNode marker = mapper.createObjectNode();
        marker.putObject("purged").put("purgeId", 7).put("reason", "POST_DELETED");
        return marker;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
