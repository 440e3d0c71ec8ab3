package io.xwr.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.xwr.testing.HostileBodies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BoundedTreeTest {
    private static final ObjectReader READER = new ObjectMapper().reader();

    @Test
    void underTheLimitTheTreeIsJacksonsNodeForNode() throws Exception {
        List<byte[]> bodies = bodies();
        bodies.add(DUPLICATES);
        for (byte[] body : bodies) {
            // When
            BoundedTree.Tree tree = BoundedTree.read(READER, body, Integer.MAX_VALUE);

            // Then: equal as Jackson compares trees (node types included: an IntNode is no LongNode)
            JsonNode full = READER.readTree(body);
            assertEquals(full, tree.root());
            assertEquals(Nodes.canonicalHash(full), Nodes.canonicalHash(tree.root()));
            assertTrue(tree.complete());
            assertEquals(0, tree.skippedElements());
        }
    }

    @Test
    void overTheLimitTheTreeHoldsCompleteElementsOnlyAndEveryPostIsStillFound() throws Exception {
        for (byte[] body : bodies()) {
            JsonNode full = READER.readTree(body);
            int size = count(full);
            for (int limit = 1; limit < size; limit += Math.max(1, size / 40)) {
                // When
                BoundedTree.Tree tree = BoundedTree.read(READER, body, limit);

                // Then
                assertFalse(tree.complete(), "a limit under the tree's size cuts it");
                assertTrue(count(tree.root()) <= limit, "at most the limit of nodes");
                assertPrefix(full, tree.root());
                Set<String> found = PostContent.postIds(tree.root());
                found.addAll(tree.skippedPosts());
                // every post (an object cut before its id_str may be linked under its id as well: harmless, a
                // purge's redaction reads the whole body and finds no such post)
                assertTrue(
                        found.containsAll(PostContent.postIds(full)),
                        found + " posts of " + new String(body, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aHostileBodyIsReadIntoAtMostTheLimitAndItsSkippedElementsCounted() throws Exception {
        byte[] body = HostileBodies.tinyActivities(5 << 20, "1");

        BoundedTree.Tree tree = BoundedTree.read(READER, body, 100_000);

        assertTrue(count(tree.root()) <= 100_000);
        int elements = READER.readTree(body).path("tweet_create_events").size();
        assertEquals(elements, tree.root().path("tweet_create_events").size() + tree.skippedElements());
    }

    @Test
    void whatIsNotJsonPastTheLimitIsStillRefused() {
        byte[] body = "{\"a\":[1,2,3,{\"b\":[4,5}]}".getBytes(StandardCharsets.UTF_8);

        assertThrows(JacksonException.class, () -> READER.readTree(body));
        assertThrows(JacksonException.class, () -> BoundedTree.read(READER, body, 2));
    }

    @Test
    void theNormalizerCountsWhatTheLimitLeftOutAndLinksItsPosts() {
        byte[] body = ("{\"for_user_id\":\"1\",\"tweet_create_events\":["
                        + "{\"id_str\":\"10\",\"text\":\"a\",\"user\":{\"id_str\":\"1\"},\"timestamp_ms\":\"1764590000000\"},"
                        + "{\"id_str\":\"11\",\"text\":\"b\",\"user\":{\"id_str\":\"1\"},\"timestamp_ms\":\"1764590000000\"},"
                        + "{\"id_str\":\"12\",\"text\":\"c\",\"quoted_status\":{\"id\":13,\"text\":\"d\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        DeliveryNormalizer normalizer = new DeliveryNormalizer(new ObjectMapper(), 1000, 12);

        Normalization n = normalizer.normalize(body);

        assertEquals(
                List.of("10"),
                n.events().stream()
                        .filter(e -> e instanceof ActivityEvent.PostCreated)
                        .map(e -> ((ActivityEvent.PostCreated) e).postId())
                        .toList());
        ActivityEvent overflow = n.events().getLast();
        assertEquals(2, overflow.meta().source().get("omittedElements").asInt());
        assertTrue(n.problem().startsWith("2 elements beyond the limit of 1000 events or 12 JSON nodes"), n.problem());
        assertEquals(Set.of("10", "11", "12", "13"), n.contentPosts());
    }

    /** Duplicate names: the last value wins, in the first one's place (under a limit, a cut may keep the first). */
    private static final byte[] DUPLICATES =
            "{\"a\":1,\"b\":2,\"a\":{\"id\":3,\"text\":\"t\",\"id\":4}}".getBytes(StandardCharsets.UTF_8);

    /** Every fixture of X's payloads, and the shapes a tree reader must get exactly right. */
    private static List<byte[]> bodies() throws Exception {
        List<byte[]> bodies = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.walk(FixtureNormalizationTest.FIXTURES)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                bodies.add(Files.readAllBytes(f));
            }
        }
        bodies.add(("{\"i\":1,\"l\":12345678901,\"b\":123456789012345678901234567890,\"n\":-0,\"d\":1.5,"
                        + "\"e\":1e400,\"s\":-2.5E-3,\"t\":true,\"f\":false,\"z\":null,\"u\":\"\\u00e9\\ud83d\\ude00\","
                        + "\"x\":[[],{}],\"y\":{\"id\":7,\"text\":\"t\",\"id_str\":null},"
                        + "\"p\":{\"id_str\":\"8\",\"id\":9,\"full_text\":\"f\"},\"q\":{\"id_str\":{\"a\":1},\"id\":10,"
                        + "\"note_tweet\":{}},\"r\":{\"id\":-0,\"text\":\"neg\"}}")
                .getBytes(StandardCharsets.UTF_8));
        return bodies;
    }

    private static int count(JsonNode root) {
        int n = 0;
        Deque<JsonNode> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            n++;
            node.forEach(todo::push);
        }
        return n;
    }

    /**
     * {@code cut} is {@code full} with things left out at the end of its containers: each array holds the first
     * elements of full's, each equal to its original; an object's fields are full's, the last perhaps itself cut.
     */
    private static void assertPrefix(JsonNode full, JsonNode cut) {
        if (cut.isArray()) {
            for (int i = 0; i < cut.size(); i++) {
                assertEquals(full.get(i), cut.get(i), "an array element is complete or absent");
            }
        } else if (cut.isObject()) {
            Set<String> seen = new HashSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = cut.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                seen.add(field.getKey());
                assertPrefix(full.get(field.getKey()), field.getValue());
            }
            assertTrue(full.size() >= seen.size());
        } else {
            assertEquals(full, cut);
        }
    }
}
