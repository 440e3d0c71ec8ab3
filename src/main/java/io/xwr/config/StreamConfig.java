package io.xwr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The filtered stream's link to this service's webhook, and the fields each delivered post carries. */
@ConfigMapping(prefix = "xwr.stream")
public interface StreamConfig {

    /**
     * With {@code xwr.replay.ensure-webhook}, keep the app's filtered stream linked to the ensured webhook with the
     * fields below (re-linked when they differ), so X delivers the stream's posts here.
     */
    @WithDefault("false")
    boolean link();

    /**
     * How stream gaps are recovered: {@code replay} trusts X's webhook replay to re-send stream posts too;
     * {@code connection} also reads each gap's window from the stream's connection API (recovery with
     * {@code start_time}/{@code end_time}, last 24 hours), for when X's replay does not cover stream links.
     */
    @WithDefault("replay")
    Recovery recovery();

    /** Posts read per pass of a gap's recovery: a long window is read over several passes, resuming. */
    @WithDefault("10000")
    int recoveryMaxPosts();

    /** Time one pass may read the stream for. */
    @WithDefault("30s")
    java.time.Duration recoveryPassTime();

    enum Recovery {
        REPLAY,
        CONNECTION
    }

    Optional<List<String>> tweetFields();

    Optional<List<String>> expansions();

    Optional<List<String>> userFields();

    Optional<List<String>> mediaFields();

    Optional<List<String>> pollFields();

    Optional<List<String>> placeFields();

    /** The configured fields under X's parameter names. */
    default Map<String, List<String>> fields() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        tweetFields().ifPresent(v -> fields.put("tweet.fields", v));
        expansions().ifPresent(v -> fields.put("expansions", v));
        userFields().ifPresent(v -> fields.put("user.fields", v));
        mediaFields().ifPresent(v -> fields.put("media.fields", v));
        pollFields().ifPresent(v -> fields.put("poll.fields", v));
        placeFields().ifPresent(v -> fields.put("place.fields", v));
        return fields;
    }
}
