package io.xwr.xapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The field parameters a stream link may carry ({@code tweet.fields}, {@code expansions}, {@code user.fields},
 * {@code media.fields}, {@code poll.fields}, {@code place.fields}) and the values X lists for each, so a typo is an
 * operator's 400 here rather than a link X refuses or silently narrows.
 */
public final class StreamFields {
    private StreamFields() {}

    static final Map<String, Set<String>> ALLOWED = Map.of(
            "tweet.fields",
            Set.of(
                    "article",
                    "attachments",
                    "author_id",
                    "card_uri",
                    "community_id",
                    "context_annotations",
                    "conversation_id",
                    "created_at",
                    "display_text_range",
                    "edit_controls",
                    "edit_history_tweet_ids",
                    "entities",
                    "geo",
                    "id",
                    "in_reply_to_user_id",
                    "lang",
                    "media_metadata",
                    "non_public_metrics",
                    "note_tweet",
                    "organic_metrics",
                    "possibly_sensitive",
                    "promoted_metrics",
                    "public_metrics",
                    "referenced_tweets",
                    "reply_settings",
                    "scopes",
                    "source",
                    "suggested_source_links",
                    "text",
                    "withheld"),
            "expansions",
            Set.of(
                    "article.cover_media",
                    "article.media_entities",
                    "attachments.media_keys",
                    "attachments.media_source_tweet",
                    "attachments.poll_ids",
                    "author_id",
                    "edit_history_tweet_ids",
                    "entities.mentions.username",
                    "entities.note.mentions.username",
                    "geo.place_id",
                    "in_reply_to_user_id",
                    "referenced_tweets.id",
                    "referenced_tweets.id.attachments.media_keys",
                    "referenced_tweets.id.author_id"),
            "user.fields",
            Set.of(
                    "affiliation",
                    "confirmed_email",
                    "connection_status",
                    "created_at",
                    "description",
                    "entities",
                    "id",
                    "is_identity_verified",
                    "location",
                    "most_recent_tweet_id",
                    "name",
                    "parody",
                    "pinned_tweet_id",
                    "profile_banner_url",
                    "profile_image_url",
                    "protected",
                    "public_metrics",
                    "receives_your_dm",
                    "subscription",
                    "subscription_type",
                    "url",
                    "username",
                    "verified",
                    "verified_followers_count",
                    "verified_type",
                    "withheld"),
            "media.fields",
            Set.of(
                    "alt_text",
                    "duration_ms",
                    "height",
                    "media_key",
                    "non_public_metrics",
                    "organic_metrics",
                    "preview_image_url",
                    "promoted_metrics",
                    "public_metrics",
                    "type",
                    "url",
                    "variants",
                    "width"),
            "poll.fields",
            Set.of("duration_minutes", "end_datetime", "id", "options", "voting_status"),
            "place.fields",
            Set.of("contained_within", "country", "country_code", "full_name", "geo", "id", "name", "place_type"));

    /** What is wrong with the requested fields, one sentence each; empty when X would take them. */
    public static List<String> problems(Map<String, List<String>> requested) {
        List<String> problems = new ArrayList<>();
        requested.forEach((parameter, values) -> {
            Set<String> allowed = ALLOWED.get(parameter);
            if (allowed == null) {
                problems.add("unknown parameter " + parameter + "; X takes " + String.join(", ", ALLOWED.keySet()));
                return;
            }
            for (String value : values) {
                if (!allowed.contains(value)) {
                    problems.add(parameter + " has no field " + value);
                }
            }
        });
        return problems;
    }

    /**
     * A link's fields as X lists them, read back into parameters: X splits {@code user.fields=username,name} into
     * {@code "user.fields=username", "name"}, so a value without {@code =} belongs to the parameter before it.
     */
    public static Map<String, Set<String>> parse(List<String> listed) {
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        String parameter = null;
        for (String item : listed) {
            for (String part : item.split(",")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    parameter = part.substring(0, eq).trim();
                    part = part.substring(eq + 1);
                }
                if (parameter != null && !part.isBlank()) {
                    fields.computeIfAbsent(parameter, p -> new java.util.TreeSet<>())
                            .add(part.trim());
                }
            }
        }
        return fields;
    }

    /** Whether X's listing of a link says the same as the requested fields. */
    public static boolean same(List<String> listed, Map<String, List<String>> requested) {
        Map<String, Set<String>> wanted = new LinkedHashMap<>();
        requested.forEach((parameter, values) -> {
            if (!values.isEmpty()) {
                wanted.put(parameter, new java.util.TreeSet<>(values));
            }
        });
        return parse(listed).equals(wanted);
    }

    /** The query parameters of a link: each parameter's values comma-separated, in a stable order. */
    public static Map<String, String> query(Map<String, List<String>> requested) {
        Map<String, String> query = new LinkedHashMap<>();
        requested.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> query.put(
                        e.getKey(),
                        String.join(",", e.getValue().stream().sorted().toList())));
        return query;
    }
}
