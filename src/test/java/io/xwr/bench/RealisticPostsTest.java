package io.xwr.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.xwr.event.DeliveryNormalizer;
import io.xwr.event.Normalization;
import io.xwr.event.ParseStatus;
import org.junit.jupiter.api.Test;

/** The benchmark's realistic posts are what the service reads as posts, at the size X sends them. */
class RealisticPostsTest {
    @Test
    void areUnderstoodPostsOfFourToSixKilobytes() {
        DeliveryNormalizer normalizer = new DeliveryNormalizer(new ObjectMapper());
        for (int i = 0; i < 50; i++) {
            byte[] body = RealisticPosts.delivery();
            Normalization n = normalizer.normalize(body);

            assertEquals(ParseStatus.PARSED, n.status(), new String(body, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("post.created", n.events().getFirst().type());
            assertTrue(body.length >= 4_000 && body.length <= 6_500, "bytes: " + body.length);
        }
    }
}
