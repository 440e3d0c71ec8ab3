package io.xwr.testing;

import java.nio.charset.StandardCharsets;

/**
 * Signed bodies an attacker holding a consumer secret (or X gone wrong) could send: valid JSON objects of about
 * 1 MiB that are cheap to write and expensive to take apart. Each is just under {@code size} bytes.
 */
public final class HostileBodies {
    private HostileBodies() {}

    /**
     * An AAA envelope of about 100,000 tiny, distinct, unreadable activities: {@code {"for_user_id":"1",
     * "tweet_create_events":[{"x":0},{"x":1},…]}}.
     */
    public static byte[] tinyActivities(int size, String account) {
        StringBuilder body =
                new StringBuilder(size).append("{\"for_user_id\":\"" + account + "\",\"tweet_create_events\":[");
        for (int n = 0; body.length() < size - 32; n++) {
            body.append("{\"x\":").append(n).append("},");
        }
        body.setLength(body.length() - 1);
        return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A filtered-stream envelope of many small posts, rules, and includes nested deep and wide: every post's event
     * would copy the whole envelope if the normalizer let it.
     */
    public static byte[] streamPostsWithDeepIncludes(int size, String id) {
        StringBuilder includes = new StringBuilder("\"includes\":{\"users\":");
        int depth = 90; // 180 levels, under the parser's limit of 200: this body must be read, not refused
        includes.append("[{\"a\":".repeat(depth)).append("1").append("}]".repeat(depth));
        includes.append(",\"tweets\":[");
        for (int i = 0; i < 1000; i++) {
            includes.append("{\"id\":\"")
                    .append(i)
                    .append("\",\"text\":\"")
                    .append("x".repeat(200))
                    .append("\"},");
        }
        includes.setLength(includes.length() - 1);
        includes.append("]},\"matching_rules\":[{\"id\":\"1\",\"tag\":\"t\"},{\"id\":\"2\"}],");
        String head = "{" + includes + "\"data\":[";
        StringBuilder body = new StringBuilder(size).append(head);
        for (int n = 0; body.length() < size - 64; n++) {
            body.append("{\"id\":\"").append(id).append(n).append("\",\"text\":\"a\"},");
        }
        body.setLength(body.length() - 1);
        return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One X Activity DM event whose payload holds tens of thousands of messages. */
    public static byte[] directMessageFlood(int size, String id) {
        String head = "{\"data\":{\"event_type\":\"dm.received\",\"event_uuid\":\"" + id
                + "\",\"filter\":{\"user_id\":\"1\"},\"payload\":{\"direct_message_events\":[";
        StringBuilder body = new StringBuilder(size).append(head);
        int n = 0;
        while (body.length() < size - 64) {
            body.append("{\"id\":\"").append(n++).append("\"},");
        }
        body.setLength(body.length() - 1);
        return body.append("]}}}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
