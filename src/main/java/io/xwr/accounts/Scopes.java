package io.xwr.accounts;

import java.util.Set;
import java.util.TreeSet;

/**
 * The OAuth scopes X Activity event types need. X publishes no exact table (spec: accounts and compliance, 2);
 * this is the mapping its docs suggest: reading the user and staying connected ({@code users.read},
 * {@code offline.access}) always, then what each kind of activity reads.
 */
public final class Scopes {
    private Scopes() {}

    /** Public event types (profile updates): subscribed with the app's bearer token, no consent needed. */
    public static boolean isPublic(String eventType) {
        return eventType.startsWith("profile.update.");
    }

    /** The scopes for these event types, sorted, space-separated as X takes them. */
    public static String forEventTypes(Iterable<String> eventTypes) {
        Set<String> scopes = new TreeSet<>(Set.of("users.read", "offline.access", "tweet.read"));
        for (String type : eventTypes) {
            scopes.addAll(scopesOf(type));
        }
        return String.join(" ", scopes);
    }

    static Set<String> scopesOf(String type) {
        String family = type.contains(".") ? type.substring(0, type.indexOf('.')) : type;
        return switch (family) {
            case "post" -> Set.of("tweet.read", "users.read");
            case "like" -> Set.of("like.read");
            case "follow" -> Set.of("follows.read");
            case "mute" -> Set.of("mute.read");
            case "block" -> Set.of("block.read");
            case "dm", "chat" -> Set.of("dm.read");
            case "spaces", "broadcast" -> Set.of("space.read");
            default -> Set.of();
        };
    }
}
