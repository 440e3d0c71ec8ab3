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
import io.xwr.event.ActivityEvent.ConversationChange;
import io.xwr.event.ActivityEvent.PostRelation;
import io.xwr.event.ActivityEvent.ProfileField;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * X Activity API envelopes (spec 8): {@code {"data": event}} or {@code {"data": [events]}}, keyed
 * {@code xaa:{event_type}:{canonical filter}:{event_uuid}} (8.4).
 */
final class XaaNormalizer {

    /** Names used before 2026-03-18, and aliases, mapped to the current dotted names (spec 8.3). */
    private static final Map<String, String> LEGACY_NAMES = Map.ofEntries(
            Map.entry("ProfileBioUpdate", "profile.update.bio"),
            Map.entry("ProfilePictureUpdate", "profile.update.profile_picture"),
            Map.entry("ProfileBannerPictureUpdate", "profile.update.banner_picture"),
            Map.entry("ProfileScreennameUpdate", "profile.update.screenname"),
            Map.entry("ProfileGeoUpdate", "profile.update.geo"),
            Map.entry("ProfileUrlUpdate", "profile.update.url"),
            Map.entry("profile.update.verified", "profile.update.verified_badge"),
            Map.entry("profile.update.affiliate", "profile.update.affiliate_badge"),
            Map.entry("chat.conversation_join", "chat.conversation.join"));

    private static final Map<String, ProfileField> PROFILE_FIELDS = Map.of(
            "profile.update.bio", ProfileField.BIO,
            "profile.update.profile_picture", ProfileField.PROFILE_PICTURE,
            "profile.update.banner_picture", ProfileField.BANNER_PICTURE,
            "profile.update.screenname", ProfileField.SCREENNAME,
            "profile.update.handle", ProfileField.HANDLE,
            "profile.update.geo", ProfileField.GEO,
            "profile.update.url", ProfileField.URL,
            "profile.update.verified_badge", ProfileField.VERIFIED_BADGE,
            "profile.update.affiliate_badge", ProfileField.AFFILIATE_BADGE);

    private static final Map<String, ConversationChange> CONVERSATION_CHANGES = Map.of(
            "chat.conversation.join", ConversationChange.JOINED,
            "chat.conversation.member_added", ConversationChange.MEMBER_ADDED,
            "chat.conversation.member_removed", ConversationChange.MEMBER_REMOVED,
            "chat.conversation.admin_added", ConversationChange.ADMIN_ADDED,
            "chat.conversation.admin_removed", ConversationChange.ADMIN_REMOVED,
            "chat.update.group_name", ConversationChange.GROUP_NAME_UPDATED,
            "chat.update.restrictions", ConversationChange.RESTRICTIONS_UPDATED);

    private static final Map<String, PostRelation> POST_RELATIONS = Map.of(
            "post.mention.create", PostRelation.MENTION,
            "post.reply.create", PostRelation.REPLY,
            "post.quote.create", PostRelation.QUOTE,
            "post.repost.create", PostRelation.REPOST);

    void normalize(JsonNode envelope, EventBudget events) {
        for (JsonNode data : elements(envelope.path("data"))) {
            if (events.full()) {
                events.skip();
                continue;
            }
            String raw = text(data, "event_type");
            String account = text(data, "filter", "user_id");
            try {
                event(data, raw == null ? "" : raw, events).forEach(events::add);
            } catch (RuntimeException e) {
                events.add(Elements.unknown(
                        Family.XAA, account, raw == null ? "xaa" : raw, data, "unreadable: " + e.getMessage()));
            }
        }
    }

    private List<ActivityEvent> event(JsonNode data, String raw, EventBudget budget) {
        String type = LEGACY_NAMES.getOrDefault(raw, raw);
        JsonNode payload = data.path("payload");
        String filterUser = text(data, "filter", "user_id");
        String uuid = text(data, "event_uuid");
        String filter = canonicalFilter(data.path("filter"));
        String tail = uuid != null && !uuid.isEmpty() ? uuid : Nodes.canonicalHash(payload);
        EventKey key = EventKey.of("xaa", type, filter, tail);

        if (PROFILE_FIELDS.containsKey(type)) {
            return List.of(new ActivityEvent.ProfileUpdated(
                    meta(key, filterUser, null, raw, data),
                    filterUser,
                    PROFILE_FIELDS.get(type),
                    text(payload, "before"),
                    text(payload, "after")));
        }
        if (CONVERSATION_CHANGES.containsKey(type)) {
            return List.of(new ActivityEvent.ChatConversationChanged(
                    meta(key, filterUser, epochMillis(payload.path("created_at_msec")), raw, data),
                    CONVERSATION_CHANGES.get(type),
                    text(payload, "conversation_id")));
        }
        return switch (type) {
            case "post.create", "post.mention.create", "post.reply.create", "post.quote.create", "post.repost.create" ->
                List.of(post(key, filterUser, raw, type, data, payload));
            case "post.delete" ->
                List.of(new ActivityEvent.PostDeleted(
                        meta(key, filterUser, null, raw, data), required(payload, "id"), text(payload, "author_id")));
            case "like.create" -> List.of(like(key, filterUser, raw, data, payload));
            case "follow.follow", "follow.unfollow", "mute.mute", "mute.unmute", "block.block", "block.unblock" ->
                List.of(relation(key, filterUser, raw, type, data, payload));
            case "dm.sent", "dm.received" -> directMessages(key, filterUser, raw, type, data, payload, budget);
            case "dm.read" -> List.of(read(key, filterUser, raw, data, payload));
            case "dm.indicate_typing" -> List.of(typing(key, filterUser, raw, data, payload));
            case "chat.sent", "chat.received" -> List.of(chat(key, filterUser, raw, type, data, payload));
            case "spaces.start", "spaces.end" -> List.of(space(key, filterUser, raw, type, data, payload));
            case "broadcast.start", "broadcast.end" -> List.of(broadcast(key, filterUser, raw, type, data, payload));
            case "broadcast.chat" ->
                List.of(new ActivityEvent.BroadcastChatPosted(
                        meta(key, filterUser, null, raw, data),
                        text(payload, "broadcast_id"),
                        text(payload, "message_id"),
                        userId(payload.path("author")),
                        text(payload, "message")));
            case "news.new" ->
                List.of(new ActivityEvent.NewsPublished(
                        meta(key, filterUser, timestamp(payload.path("updated_at")), raw, data),
                        text(payload, "id"),
                        text(payload, "name") != null ? text(payload, "name") : text(payload, "headline"),
                        text(payload, "category")));
            case "oauth.revoke" -> {
                String user = required(payload, "user_id");
                yield List.of(new ActivityEvent.AppAccessRevoked(
                        meta(key, user, timestamp(payload.path("date_time")), raw, data),
                        user,
                        text(payload, "app_id")));
            }
            default ->
                List.of(new ActivityEvent.UnknownActivity(
                        meta(key, filterUser, null, raw.isEmpty() ? "xaa" : raw, data),
                        "unknown XAA event_type " + raw));
        };
    }

    private static ActivityEvent.PostCreated post(
            EventKey key, String account, String raw, String type, JsonNode data, JsonNode p) {
        String replyTo = text(p, "in_reply_to_tweet_id");
        String quoted = referenced(p, "quoted");
        String reposted = referenced(p, "retweeted");
        if (replyTo == null) {
            replyTo = referenced(p, "replied_to");
        }
        PostRelation relation = POST_RELATIONS.get(type);
        if (relation == null) {
            relation = reposted != null
                    ? PostRelation.REPOST
                    : quoted != null
                            ? PostRelation.QUOTE
                            : replyTo != null ? PostRelation.REPLY : PostRelation.AUTHORED;
        }
        String text = text(p, "note_tweet", "text");
        return new ActivityEvent.PostCreated(
                meta(key, account, timestamp(p.path("created_at")), raw, data),
                required(p, "id"),
                text(p, "author_id"),
                text != null ? text : text(p, "text"),
                relation,
                replyTo,
                quoted,
                reposted);
    }

    private static ActivityEvent.PostLiked like(EventKey key, String account, String raw, JsonNode data, JsonNode p) {
        String author = text(p, "liked_tweet_author_id");
        String direction = text(data, "filter", "direction");
        // The liker is the filtered user for outbound likes; for inbound ones X names only the post's author.
        boolean outbound =
                "outbound".equals(direction) || (direction == null && account != null && !account.equals(author));
        return new ActivityEvent.PostLiked(
                meta(
                        key,
                        account,
                        firstTime(epochMillis(p.path("timestamp_ms")), timestamp(p.path("created_at"))),
                        raw,
                        data),
                required(p, "id"),
                text(p, "liked_tweet_id"),
                outbound ? account : null,
                author);
    }

    private static ActivityEvent relation(
            EventKey key, String account, String raw, String type, JsonNode data, JsonNode p) {
        EventMeta meta = meta(key, account, null, raw, data);
        String source = userId(p.path("source"));
        String target = userId(p.path("target"));
        return switch (type) {
            case "follow.follow" -> new ActivityEvent.UserFollowed(meta, source, target);
            case "follow.unfollow" -> new ActivityEvent.UserUnfollowed(meta, source, target);
            case "mute.mute" -> new ActivityEvent.UserMuted(meta, source, target);
            case "mute.unmute" -> new ActivityEvent.UserUnmuted(meta, source, target);
            case "block.block" -> new ActivityEvent.UserBlocked(meta, source, target);
            default -> new ActivityEvent.UserUnblocked(meta, source, target);
        };
    }

    /** The DM part is the AAA structure (spec 8.5); several messages in one event get one key each. */
    private static List<ActivityEvent> directMessages(
            EventKey key, String account, String raw, String type, JsonNode data, JsonNode p, EventBudget budget) {
        List<JsonNode> messages = elements(p.path("direct_message_events"));
        if (messages.isEmpty()) {
            throw new Nodes.MissingField("payload.direct_message_events");
        }
        List<ActivityEvent> events = new ArrayList<>();
        int room = budget.max() - budget.events().size();
        for (JsonNode m : messages) {
            if (events.size() >= room) {
                budget.skip();
                continue;
            }
            String id = required(m, "id");
            EventKey messageKey = messages.size() == 1 ? key : EventKey.of(key.value(), "dm", id);
            EventMeta meta = meta(
                    messageKey,
                    account,
                    epochMillis(m.path("created_timestamp")),
                    raw,
                    messages.size() == 1 ? data : withOneMessage(data, m));
            String sender = text(m, "message_create", "sender_id");
            String recipient = text(m, "message_create", "target", "recipient_id");
            String text = text(m, "message_create", "message_data", "text");
            events.add(
                    type.equals("dm.sent")
                            ? new ActivityEvent.DirectMessageSent(meta, id, sender, recipient, text)
                            : new ActivityEvent.DirectMessageReceived(meta, id, sender, recipient, text));
        }
        return events;
    }

    /**
     * The event as X sent it, but carrying only this message: each message's event keeps its own source, and a
     * payload of thousands of messages is not copied into every one of them. Shallow: X's nodes are shared.
     */
    private static JsonNode withOneMessage(JsonNode data, JsonNode message) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        data.path("payload").properties().forEach(f -> payload.set(f.getKey(), f.getValue()));
        payload.set(
                "direct_message_events", JsonNodeFactory.instance.arrayNode().add(message));
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        data.properties().forEach(f -> copy.set(f.getKey(), f.getValue()));
        copy.set("payload", payload);
        return copy;
    }

    /** No sample is published; the AAA read-receipt shape is expected, bare or in its array (spec 8.5). */
    private static ActivityEvent read(EventKey key, String account, String raw, JsonNode data, JsonNode p) {
        JsonNode r = first(p, "direct_message_mark_read_events");
        return new ActivityEvent.DirectMessagesRead(
                meta(key, account, epochMillis(r.path("created_timestamp")), raw, data),
                text(r, "sender_id"),
                text(r, "target", "recipient_id"),
                text(r, "last_read_event_id"));
    }

    private static ActivityEvent typing(EventKey key, String account, String raw, JsonNode data, JsonNode p) {
        JsonNode t = first(p, "direct_message_indicate_typing_events");
        return new ActivityEvent.DirectMessageTyping(
                meta(key, account, epochMillis(t.path("created_timestamp")), raw, data),
                text(t, "sender_id"),
                text(t, "target", "recipient_id"));
    }

    private static ActivityEvent chat(
            EventKey key, String account, String raw, String type, JsonNode data, JsonNode p) {
        String id = text(p, "id");
        String sender = text(p, "sender_id");
        String conversation = text(p, "conversation_id");
        if (account == null) {
            account = chatAccount(type, sender, conversation);
        }
        EventMeta meta = meta(key, account, epochMillis(p.path("created_at_msec")), raw, data);
        String encoded = text(p, "encoded_event");
        return type.equals("chat.sent")
                ? new ActivityEvent.ChatMessageSent(meta, id, sender, conversation, encoded)
                : new ActivityEvent.ChatMessageReceived(meta, id, sender, conversation, encoded);
    }

    /**
     * The subscribed account of a chat event that came without {@code filter} (spec 8.5: XChat events may carry
     * none): a one-to-one conversation id names both participants ({@code "<a>:<b>"} or {@code "<a>-<b>"}); a
     * message received is the account's that did not send it, a message sent the sender's. Null for anything else
     * (a group conversation): no account is guessed.
     */
    static String chatAccount(String type, String sender, String conversation) {
        if (sender == null || conversation == null) {
            return null;
        }
        String[] participants = conversation.split("[:-]");
        if (participants.length != 2
                || !participants[0].matches("\\d{1,19}")
                || !participants[1].matches("\\d{1,19}")
                || !(participants[0].equals(sender) || participants[1].equals(sender))) {
            return null;
        }
        if (type.equals("chat.sent")) {
            return sender;
        }
        return participants[0].equals(sender) ? participants[1] : participants[0];
    }

    private static ActivityEvent space(
            EventKey key, String account, String raw, String type, JsonNode data, JsonNode p) {
        EventMeta meta = meta(key, account, null, raw, data);
        String user = p.path("user").isMissingNode() ? account : userId(p.path("user"));
        return type.equals("spaces.start")
                ? new ActivityEvent.SpaceStarted(meta, text(p, "broadcast_id"), user)
                : new ActivityEvent.SpaceEnded(meta, text(p, "broadcast_id"), user);
    }

    private static ActivityEvent broadcast(
            EventKey key, String account, String raw, String type, JsonNode data, JsonNode p) {
        EventMeta meta = meta(key, account, epochMillis(p.path("event_timestamp_ms")), raw, data);
        String user = p.path("user").isMissingNode() ? account : userId(p.path("user"));
        return type.equals("broadcast.start")
                ? new ActivityEvent.BroadcastStarted(meta, text(p, "broadcast_id"), user, text(p, "title"))
                : new ActivityEvent.BroadcastEnded(meta, text(p, "broadcast_id"), user, text(p, "title"));
    }

    private static JsonNode first(JsonNode payload, String arrayName) {
        List<JsonNode> inArray = elements(payload.path(arrayName));
        return inArray.isEmpty() ? payload : inArray.getFirst();
    }

    private static String referenced(JsonNode post, String kind) {
        for (JsonNode ref : post.path("referenced_tweets")) {
            if (kind.equals(text(ref, "type"))) {
                return text(ref, "id");
            }
        }
        return null;
    }

    /** Sorted {@code key=value} pairs joined by commas: the same filter always yields the same key. */
    static String canonicalFilter(JsonNode filter) {
        Map<String, String> sorted = new TreeMap<>();
        filter.properties()
                .forEach(f -> sorted.put(
                        f.getKey(),
                        f.getValue().isValueNode()
                                ? f.getValue().asText()
                                : f.getValue().toString()));
        StringBuilder out = new StringBuilder();
        sorted.forEach((k, v) ->
                out.append(out.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return out.toString();
    }

    private static EventMeta meta(EventKey key, String account, Instant at, String sourceType, JsonNode data) {
        return new EventMeta(key, Family.XAA, account, at, sourceType, data);
    }
}
