package io.xwr.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * AAA post deliveries shaped like X's real ones (spec 3): v1.1 posts carry the author's full user object, the
 * extended text with its entities, and a quoted post with its own user, so a delivery is 4 to 6 KB where the
 * test fixtures, trimmed to what the normalizers read, average a few hundred bytes.
 */
final class RealisticPosts {
    private RealisticPosts() {}

    /** A new post by a fresh author, quoting another fresh author's post. */
    static byte[] delivery() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String account = id(r);
        String post = id(r);
        String text = "Shipping the webhook receiver today: CRCs from memory, every delivery durable before the 200,"
                + " replays for the gaps, and purges within the day. Notes and numbers in the thread "
                + "https://t.co/" + word(r, 10) + " #webhooks #kafka @" + word(r, 8);
        return ("{\"for_user_id\":\"" + account + "\",\"tweet_create_events\":[{"
                        + "\"created_at\":\"Mon May 19 14:01:46 +0000 2025\",\"id\":" + post + ",\"id_str\":\"" + post
                        + "\",\"text\":\"" + text.substring(0, 140)
                        + "…\",\"source\":\"<a href=\\\"https://mobile.x.com\\\""
                        + " rel=\\\"nofollow\\\">X Web App</a>\",\"truncated\":true,\"in_reply_to_status_id\":null,"
                        + "\"in_reply_to_status_id_str\":null,\"in_reply_to_user_id\":null,\"in_reply_to_user_id_str\":null,"
                        + "\"in_reply_to_screen_name\":null,\"user\":" + user(account, r) + ",\"geo\":null,"
                        + "\"coordinates\":null,\"place\":null,\"contributors\":null,\"is_quote_status\":true,"
                        + "\"quoted_status_id\":" + id(r) + ",\"quoted_status\":" + quoted(r) + ","
                        + "\"extended_tweet\":{\"full_text\":\"" + text + "\",\"display_text_range\":[0,"
                        + text.length()
                        + "],\"entities\":" + entities(r) + "},\"quote_count\":0,\"reply_count\":0,\"retweet_count\":0,"
                        + "\"favorite_count\":0,\"entities\":" + entities(r)
                        + ",\"favorited\":false,\"retweeted\":false,"
                        + "\"possibly_sensitive\":false,\"filter_level\":\"low\",\"lang\":\"en\","
                        + "\"timestamp_ms\":\"1747663306000\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String quoted(ThreadLocalRandom r) {
        String author = id(r);
        String post = id(r);
        return "{\"created_at\":\"Sun May 18 09:12:03 +0000 2025\",\"id\":" + post + ",\"id_str\":\"" + post
                + "\",\"text\":\"What should a webhook receiver promise when the database is down? We wrote it up.\","
                + "\"truncated\":false,\"user\":" + user(author, r) + ",\"is_quote_status\":false,\"quote_count\":3,"
                + "\"reply_count\":12,\"retweet_count\":41,\"favorite_count\":230,\"entities\":" + entities(r)
                + ",\"favorited\":false,\"retweeted\":false,\"lang\":\"en\"}";
    }

    private static String user(String id, ThreadLocalRandom r) {
        String name = word(r, 9);
        return "{\"id\":" + id + ",\"id_str\":\"" + id + "\",\"name\":\"" + name + " Engineering\",\"screen_name\":\""
                + name + "\",\"location\":\"Berlin, Germany\",\"url\":\"https://" + name + ".example\","
                + "\"description\":\"Platform engineering, event streaming and the occasional webhook. Opinions are"
                + " our own; uptime is everyone's.\",\"translator_type\":\"none\",\"protected\":false,"
                + "\"verified\":false,\"followers_count\":" + r.nextInt(100_000) + ",\"friends_count\":"
                + r.nextInt(5_000) + ",\"listed_count\":" + r.nextInt(500) + ",\"favourites_count\":"
                + r.nextInt(20_000) + ",\"statuses_count\":" + r.nextInt(50_000) + ",\"created_at\":\"Tue Mar 03"
                + " 08:15:00 +0000 2015\",\"utc_offset\":null,\"time_zone\":null,\"geo_enabled\":false,\"lang\":null,"
                + "\"contributors_enabled\":false,\"is_translator\":false,\"profile_background_color\":\"F5F8FA\","
                + "\"profile_background_image_url\":\"\",\"profile_background_image_url_https\":\"\","
                + "\"profile_background_tile\":false,\"profile_link_color\":\"1DA1F2\","
                + "\"profile_sidebar_border_color\":\"C0DEED\",\"profile_sidebar_fill_color\":\"DDEEF6\","
                + "\"profile_text_color\":\"333333\",\"profile_use_background_image\":true,"
                + "\"profile_image_url\":\"http://pbs.twimg.com/profile_images/" + id + "/" + word(r, 8)
                + "_normal.jpg\",\"profile_image_url_https\":\"https://pbs.twimg.com/profile_images/" + id + "/"
                + word(r, 8) + "_normal.jpg\",\"profile_banner_url\":\"https://pbs.twimg.com/profile_banners/" + id
                + "/1600000000\",\"default_profile\":true,\"default_profile_image\":false,\"following\":null,"
                + "\"follow_request_sent\":null,\"notifications\":null,\"withheld_in_countries\":[]}";
    }

    private static String entities(ThreadLocalRandom r) {
        String mentioned = id(r);
        return "{\"hashtags\":[{\"text\":\"webhooks\",\"indices\":[170,179]},{\"text\":\"kafka\",\"indices\":[180,186]}],"
                + "\"urls\":[{\"url\":\"https://t.co/" + word(r, 10) + "\",\"expanded_url\":\"https://example.com/"
                + word(r, 12) + "\",\"display_url\":\"example.com/" + word(r, 8) + "…\",\"indices\":[145,168]}],"
                + "\"user_mentions\":[{\"screen_name\":\"" + word(r, 8) + "\",\"name\":\"" + word(r, 6) + "\",\"id\":"
                + mentioned + ",\"id_str\":\"" + mentioned + "\",\"indices\":[187,196]}],\"symbols\":[]}";
    }

    private static String id(ThreadLocalRandom r) {
        return Long.toString(r.nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE));
    }

    private static String word(ThreadLocalRandom r, int length) {
        StringBuilder w = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            w.append((char) ('a' + r.nextInt(26)));
        }
        return w.toString();
    }
}
