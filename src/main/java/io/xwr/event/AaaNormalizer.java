package io.xwr.event;

import static io.xwr.event.Nodes.elements;
import static io.xwr.event.Nodes.epochMillis;
import static io.xwr.event.Nodes.firstTime;
import static io.xwr.event.Nodes.required;
import static io.xwr.event.Nodes.text;
import static io.xwr.event.Nodes.timestamp;
import static io.xwr.event.Nodes.userId;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xwr.event.ActivityEvent.AppAccessRevoked;
import io.xwr.event.ActivityEvent.DirectMessageReceived;
import io.xwr.event.ActivityEvent.DirectMessageSent;
import io.xwr.event.ActivityEvent.DirectMessageTyping;
import io.xwr.event.ActivityEvent.DirectMessagesRead;
import io.xwr.event.ActivityEvent.PostCreated;
import io.xwr.event.ActivityEvent.PostDeleted;
import io.xwr.event.ActivityEvent.PostLiked;
import io.xwr.event.ActivityEvent.PostRelation;
import io.xwr.event.ActivityEvent.UnknownActivity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Account Activity API envelopes (spec 7): every {@code *_events} array and {@code user_event}, keyed
 * {@code aaa:{for_user_id}:...} as in table 7.2.
 */
final class AaaNormalizer {
    /** Side objects and flags that travel with activities but are not activities themselves. */
    private static final List<String> SIDE_KEYS =
            List.of("for_user_id", "users", "apps", "user_has_blocked", "is_blocked_by");

    /** The spellings of the relationship events; the docs also name unfollow/unblock/unmute keys (7.1). */
    private static final Map<String, String> RELATION_KEYS = Map.of(
            "follow_events", "follow",
            "unfollow_events", "unfollow",
            "block_events", "block",
            "unblock_events", "unblock",
            "mute_events", "mute",
            "unmute_events", "unmute");

    void normalize(JsonNode envelope, EventBudget events) {
        String account = text(envelope, "for_user_id");
        Around around = new Around(account, envelope);
        envelope.properties().forEach(field -> {
            String name = field.getKey();
            if (SIDE_KEYS.contains(name)) {
                return;
            }
            if (name.equals("user_event")) {
                events.add(Elements.guard(Family.AAA, account, "user_event", field.getValue(), this::userEvent));
            } else if (name.endsWith("_events")) {
                for (JsonNode element : elements(field.getValue())) {
                    if (events.full()) {
                        events.skip();
                        continue;
                    }
                    events.add(Elements.guard(Family.AAA, account, name, element, e -> activity(around, name, e)));
                }
            }
        });
    }

    private ActivityEvent activity(Around around, String key, JsonNode e) {
        return switch (key) {
            case "tweet_create_events" -> post(around, e);
            case "favorite_events" -> like(around, e);
            case "direct_message_events" -> directMessage(around, e);
            case "direct_message_indicate_typing_events" -> typing(around, e);
            case "direct_message_mark_read_events" -> read(around, e);
            case "tweet_delete_events" -> delete(around, e);
            default -> RELATION_KEYS.containsKey(key) ? relation(around, key, e) : unknown(around.account(), key, e);
        };
    }

    private static PostCreated post(Around around, JsonNode t) {
        String account = around.account();
        String id = idOf(t, "id_str", "id");
        String author = userId(t.path("user"));
        String replyTo = text(t, "in_reply_to_status_id_str");
        String quoted = text(t, "quoted_status_id_str");
        if (quoted == null && t.path("quoted_status").isObject()) {
            quoted = idOf(t.path("quoted_status"), "id_str", "id");
        }
        String reposted =
                t.path("retweeted_status").isObject() ? idOf(t.path("retweeted_status"), "id_str", "id") : null;
        PostRelation relation;
        boolean byAccount = author == null || account == null || author.equals(account);
        if (byAccount) {
            // The account's own post: what it does (reposts, quotes, replies to) whoever's post it is.
            if (reposted != null) {
                relation = PostRelation.REPOST;
            } else if (quoted != null || t.path("is_quote_status").asBoolean(false)) {
                relation = PostRelation.QUOTE;
            } else if (replyTo != null) {
                relation = PostRelation.REPLY;
            } else {
                relation = PostRelation.AUTHORED;
            }
        } else if (reposted != null
                && account.equals(userId(t.path("retweeted_status").path("user")))) {
            relation = PostRelation.REPOST; // someone reposted the account's post
        } else if (quoted != null
                && account.equals(userId(t.path("quoted_status").path("user")))) {
            relation = PostRelation.QUOTE;
        } else if (replyTo != null && account.equals(text(t, "in_reply_to_user_id_str"))) {
            relation = PostRelation.REPLY;
        } else {
            // Someone else's post that only mentions the account, whatever it replies to or quotes.
            relation = PostRelation.MENTION;
        }
        // Long posts: text is cut at 140/280 and the whole is in extended_tweet (spec 7.3). A repost's own text is
        // "RT @name: " and the original cut short: the original's full text is what was reposted.
        JsonNode original = reposted != null ? t.path("retweeted_status") : t;
        String text = text(original, "extended_tweet", "full_text");
        Instant at = firstTime(epochMillis(t.path("timestamp_ms")), timestamp(t.path("created_at")));
        return new PostCreated(
                meta(around, "tweet_create_events", at, t, "tweet", id),
                id,
                author,
                Nodes.unescapeHtml(text != null ? text : text(original, "text")),
                relation,
                replyTo,
                quoted,
                reposted);
    }

    private static PostLiked like(Around around, JsonNode f) {
        String likeId = required(f, "id");
        Instant at = firstTime(epochMillis(f.path("timestamp_ms")), timestamp(f.path("created_at")));
        return new PostLiked(
                meta(around, "favorite_events", at, f, "fav", likeId),
                likeId,
                idOf(f.path("favorited_status"), "id_str", "id"),
                userId(f.path("user")),
                userId(f.path("favorited_status").path("user")));
    }

    private static ActivityEvent relation(Around around, String key, JsonNode r) {
        String account = around.account();
        String type = text(r, "type");
        if (type == null) {
            type = RELATION_KEYS.get(key);
        }
        String source = userId(r.path("source"));
        String target = userId(r.path("target"));
        String created = text(r, "created_timestamp");
        EventMeta meta = meta(
                around, key + "/" + type, epochMillis(r.path("created_timestamp")), r, type, source, target, created);
        return switch (type) {
            case "follow" -> new ActivityEvent.UserFollowed(meta, source, target);
            case "unfollow" -> new ActivityEvent.UserUnfollowed(meta, source, target);
            case "block" -> new ActivityEvent.UserBlocked(meta, source, target);
            case "unblock" -> new ActivityEvent.UserUnblocked(meta, source, target);
            case "mute" -> new ActivityEvent.UserMuted(meta, source, target);
            case "unmute" -> new ActivityEvent.UserUnmuted(meta, source, target);
            default -> unknown(account, key + "/" + type, r);
        };
    }

    private static ActivityEvent directMessage(Around around, JsonNode m) {
        String account = around.account();
        if (!"message_create".equals(text(m, "type"))) {
            return unknown(account, "direct_message_events/" + text(m, "type"), m);
        }
        String id = required(m, "id");
        String sender = text(m, "message_create", "sender_id");
        String recipient = text(m, "message_create", "target", "recipient_id");
        String text = Nodes.unescapeHtml(text(m, "message_create", "message_data", "text"));
        EventMeta meta = meta(around, "direct_message_events", epochMillis(m.path("created_timestamp")), m, "dm", id);
        // The account sent it when it is the sender (also for DMs sent through the API, spec 7.8).
        return sender != null && sender.equals(account)
                ? new DirectMessageSent(meta, id, sender, recipient, text)
                : new DirectMessageReceived(meta, id, sender, recipient, text);
    }

    private static DirectMessageTyping typing(Around around, JsonNode t) {
        String sender = required(t, "sender_id");
        String recipient = text(t, "target", "recipient_id");
        String created = text(t, "created_timestamp");
        return new DirectMessageTyping(
                meta(
                        around,
                        "direct_message_indicate_typing_events",
                        epochMillis(t.path("created_timestamp")),
                        t,
                        "typing",
                        sender,
                        recipient,
                        created),
                sender,
                recipient);
    }

    private static DirectMessagesRead read(Around around, JsonNode r) {
        String reader = required(r, "sender_id");
        String author = text(r, "target", "recipient_id");
        String last = text(r, "last_read_event_id");
        return new DirectMessagesRead(
                meta(
                        around,
                        "direct_message_mark_read_events",
                        epochMillis(r.path("created_timestamp")),
                        r,
                        "read",
                        reader,
                        author,
                        last),
                reader,
                author,
                last);
    }

    private static PostDeleted delete(Around around, JsonNode d) {
        String id = required(d, "status", "id");
        return new PostDeleted(
                meta(around, "tweet_delete_events", epochMillis(d.path("timestamp_ms")), d, "delete", id),
                id,
                text(d, "status", "user_id"));
    }

    /** {@code user_event.revoke} has no {@code for_user_id}; the revoking user takes its place (spec 7.2). */
    private ActivityEvent userEvent(JsonNode userEvent) {
        JsonNode revoke = userEvent.path("revoke");
        if (!revoke.isObject()) {
            return unknown(null, "user_event", userEvent);
        }
        String user = required(revoke, "source", "user_id");
        String app = text(revoke, "target", "app_id");
        String dateTime = text(revoke, "date_time");
        return new AppAccessRevoked(
                new EventMeta(
                        EventKey.of("aaa", user, "revoke", app, dateTime),
                        Family.AAA,
                        user,
                        timestamp(revoke.path("date_time")),
                        "user_event/revoke",
                        userEvent),
                user,
                app);
    }

    private static UnknownActivity unknown(String account, String sourceType, JsonNode element) {
        return Elements.unknown(Family.AAA, account, sourceType, element, "unknown AAA activity " + sourceType);
    }

    private static String idOf(JsonNode node, String preferred, String fallback) {
        String id = text(node, preferred);
        return id != null ? id : text(node, fallback);
    }

    private static EventMeta meta(
            Around around, String sourceType, Instant at, JsonNode source, String kind, String... keyParts) {
        String account = around.account();
        String[] parts = new String[keyParts.length + 3];
        parts[0] = "aaa";
        parts[1] = account;
        parts[2] = kind;
        System.arraycopy(keyParts, 0, parts, 3, keyParts.length);
        if (keyParts.length == 1 && keyParts[0] == null) {
            throw new Nodes.MissingField(kind + " id");
        }
        return new EventMeta(EventKey.of(parts), Family.AAA, account, at, sourceType, source, around.about(source));
    }

    /**
     * The envelope an element came in: its account, and the side objects X puts beside the arrays (spec 7.8,
     * 7.9: {@code users} and {@code apps} keyed by id; 7.3: the mention flags), which an event carries as far as
     * they concern it.
     */
    private record Around(String account, JsonNode root) {
        private static final List<String> FLAGS = List.of("user_has_blocked", "is_blocked_by");

        /** The users and apps the element names (by any id it holds), and the flags; null when none. */
        JsonNode about(JsonNode element) {
            JsonNode users = root.path("users");
            JsonNode apps = root.path("apps");
            ObjectNode about = JsonNodeFactory.instance.objectNode();
            if (users.isObject() && !users.isEmpty() || apps.isObject() && !apps.isEmpty()) {
                Set<String> ids = Nodes.textValues(element);
                pick(about, "users", users, ids);
                pick(about, "apps", apps, ids);
            }
            for (String flag : FLAGS) {
                if (root.has(flag)) {
                    about.set(flag, root.get(flag));
                }
            }
            return about.isEmpty() ? null : Nodes.bounded(about);
        }

        private static void pick(ObjectNode into, String name, JsonNode byId, Set<String> ids) {
            if (!byId.isObject()) {
                return;
            }
            ObjectNode picked = JsonNodeFactory.instance.objectNode();
            byId.properties().forEach(entry -> {
                if (ids.contains(entry.getKey())) {
                    picked.set(entry.getKey(), entry.getValue());
                }
            });
            if (!picked.isEmpty()) {
                into.set(name, picked);
            }
        }
    }
}
