package io.xwr.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One fact X told us, normalized across the families that carry it (AAA, XAA, filtered stream, replay
 * status). Records are past-tense facts; {@link #type()} is their stable dotted name.
 */
@JsonIgnoreProperties({"meta"}) // the header facts are written once, by EventJson
public sealed interface ActivityEvent {

    EventMeta meta();

    /** Stable dotted name of the fact, e.g. {@code post.created}; the CloudEvents type suffix. */
    String type();

    default EventKey key() {
        return meta().key();
    }

    default Family family() {
        return meta().family();
    }

    default String accountId() {
        return meta().accountId();
    }

    default Instant occurredAt() {
        return meta().occurredAt();
    }

    default String sourceType() {
        return meta().sourceType();
    }

    /** The post whose content this event carries: when that post is deleted, this event is purged. */
    default String contentPostId() {
        return null;
    }

    /**
     * A second post whose content this event carries in its own facts (a repost's text is the original's): when
     * that post is deleted, this event is purged too. Null for most events.
     */
    default String originPostId() {
        return null;
    }

    /** The purge X's rules demand when this event arrives (a post deletion, a revocation), else null. */
    default Erasure erasure() {
        return null;
    }

    /** How a created post relates to the account it was delivered for. */
    enum PostRelation {
        /** The account wrote it. */
        AUTHORED,
        /** A reply by the account, or someone's reply to the account's post. */
        REPLY,
        /** A quote by the account, or someone's quote of the account's post. */
        QUOTE,
        /** A repost by the account, or someone's repost of the account's post. */
        REPOST,
        /**
         * Someone else's post mentioning the account, including one that replies to, quotes or reposts another
         * user's post.
         */
        MENTION
    }

    /** Which profile attribute changed (XAA {@code profile.update.*}). */
    enum ProfileField {
        BIO,
        PROFILE_PICTURE,
        BANNER_PICTURE,
        SCREENNAME,
        HANDLE,
        GEO,
        URL,
        VERIFIED_BADGE,
        AFFILIATE_BADGE
    }

    /** What changed in an encrypted chat conversation (XAA {@code chat.conversation.*}, {@code chat.update.*}). */
    enum ConversationChange {
        JOINED,
        MEMBER_ADDED,
        MEMBER_REMOVED,
        ADMIN_ADDED,
        ADMIN_REMOVED,
        GROUP_NAME_UPDATED,
        RESTRICTIONS_UPDATED
    }

    /**
     * A filtered-stream rule that matched a post; the similarity and threshold are set for rules with the {@code
     * embedding:} operator.
     */
    record MatchingRule(String id, String tag, Double embeddingSimilarity, Double embeddingThreshold) {
        public MatchingRule(String id, String tag) {
            this(id, tag, null, null);
        }
    }

    record PostCreated(
            EventMeta meta,
            String postId,
            String authorId,
            String text,
            PostRelation relation,
            String inReplyToPostId,
            String quotedPostId,
            String repostedPostId)
            implements ActivityEvent {
        public PostCreated {
            Objects.requireNonNull(postId, "postId");
            Objects.requireNonNull(relation, "relation");
        }

        @Override
        public String type() {
            return "post.created";
        }

        @Override
        public String contentPostId() {
            return postId;
        }

        @Override
        public String originPostId() {
            return repostedPostId;
        }
    }

    /** A post was deleted: a compliance event, its content must be purged. */
    record PostDeleted(EventMeta meta, String postId, String authorId) implements ActivityEvent {
        /** The type's stable name: what purges tell erasure events apart by. */
        public static final String TYPE = "post.deleted";

        public PostDeleted {
            Objects.requireNonNull(postId, "postId");
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Erasure erasure() {
            return new Erasure(Erasure.Kind.POST, postId);
        }
    }

    /** A like; {@code likerId} is null when X names only the liked post's author. */
    record PostLiked(EventMeta meta, String likeId, String postId, String likerId, String postAuthorId)
            implements ActivityEvent {
        public PostLiked {
            Objects.requireNonNull(likeId, "likeId");
        }

        @Override
        public String type() {
            return "post.liked";
        }

        /** The like carries the liked post (X sends it whole). */
        @Override
        public String contentPostId() {
            return postId;
        }
    }

    record UserFollowed(EventMeta meta, String sourceUserId, String targetUserId) implements ActivityEvent {
        @Override
        public String type() {
            return "user.followed";
        }
    }

    record UserUnfollowed(EventMeta meta, String sourceUserId, String targetUserId) implements ActivityEvent {
        @Override
        public String type() {
            return "user.unfollowed";
        }
    }

    record UserBlocked(EventMeta meta, String sourceUserId, String targetUserId) implements ActivityEvent {
        @Override
        public String type() {
            return "user.blocked";
        }
    }

    record UserUnblocked(EventMeta meta, String sourceUserId, String targetUserId) implements ActivityEvent {
        @Override
        public String type() {
            return "user.unblocked";
        }
    }

    record UserMuted(EventMeta meta, String sourceUserId, String targetUserId) implements ActivityEvent {
        @Override
        public String type() {
            return "user.muted";
        }
    }

    record UserUnmuted(EventMeta meta, String sourceUserId, String targetUserId) implements ActivityEvent {
        @Override
        public String type() {
            return "user.unmuted";
        }
    }

    /** A direct message the account sent. */
    record DirectMessageSent(EventMeta meta, String messageId, String senderId, String recipientId, String text)
            implements ActivityEvent {
        public DirectMessageSent {
            Objects.requireNonNull(messageId, "messageId");
        }

        @Override
        public String type() {
            return "dm.sent";
        }
    }

    /** A direct message the account received. */
    record DirectMessageReceived(EventMeta meta, String messageId, String senderId, String recipientId, String text)
            implements ActivityEvent {
        public DirectMessageReceived {
            Objects.requireNonNull(messageId, "messageId");
        }

        @Override
        public String type() {
            return "dm.received";
        }
    }

    record DirectMessageTyping(EventMeta meta, String senderId, String recipientId) implements ActivityEvent {
        @Override
        public String type() {
            return "dm.typing";
        }
    }

    /** {@code readerId} read {@code authorId}'s messages up to {@code lastReadMessageId}. */
    record DirectMessagesRead(EventMeta meta, String readerId, String authorId, String lastReadMessageId)
            implements ActivityEvent {
        @Override
        public String type() {
            return "dm.read";
        }
    }

    /** A user removed the app: a compliance event, the user's data must be purged. */
    record AppAccessRevoked(EventMeta meta, String userId, String appId) implements ActivityEvent {
        /** The type's stable name: what purges tell erasure events apart by. */
        public static final String TYPE = "app.revoked";

        public AppAccessRevoked {
            Objects.requireNonNull(userId, "userId");
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Erasure erasure() {
            return new Erasure(Erasure.Kind.USER, userId);
        }
    }

    record ProfileUpdated(EventMeta meta, String userId, ProfileField field, String before, String after)
            implements ActivityEvent {
        public ProfileUpdated {
            Objects.requireNonNull(field, "field");
        }

        @Override
        public String type() {
            return "profile.updated";
        }
    }

    /** An end-to-end encrypted XChat message; the event stays an opaque blob. */
    record ChatMessageSent(
            EventMeta meta, String messageId, String senderId, String conversationId, String encodedEvent)
            implements ActivityEvent {
        @Override
        public String type() {
            return "chat.message.sent";
        }
    }

    /** An end-to-end encrypted XChat message; the event stays an opaque blob. */
    record ChatMessageReceived(
            EventMeta meta, String messageId, String senderId, String conversationId, String encodedEvent)
            implements ActivityEvent {
        @Override
        public String type() {
            return "chat.message.received";
        }
    }

    record ChatConversationChanged(EventMeta meta, ConversationChange change, String conversationId)
            implements ActivityEvent {
        public ChatConversationChanged {
            Objects.requireNonNull(change, "change");
        }

        @Override
        public String type() {
            return "chat.conversation.changed";
        }
    }

    record SpaceStarted(EventMeta meta, String broadcastId, String userId) implements ActivityEvent {
        @Override
        public String type() {
            return "space.started";
        }
    }

    record SpaceEnded(EventMeta meta, String broadcastId, String userId) implements ActivityEvent {
        @Override
        public String type() {
            return "space.ended";
        }
    }

    record BroadcastStarted(EventMeta meta, String broadcastId, String userId, String title) implements ActivityEvent {
        @Override
        public String type() {
            return "broadcast.started";
        }
    }

    record BroadcastEnded(EventMeta meta, String broadcastId, String userId, String title) implements ActivityEvent {
        @Override
        public String type() {
            return "broadcast.ended";
        }
    }

    record BroadcastChatPosted(EventMeta meta, String broadcastId, String messageId, String authorId, String message)
            implements ActivityEvent {
        @Override
        public String type() {
            return "broadcast.chat.posted";
        }
    }

    /** A Grok news story matching a keyword subscription. */
    record NewsPublished(EventMeta meta, String storyId, String headline, String category) implements ActivityEvent {
        @Override
        public String type() {
            return "news.published";
        }
    }

    /**
     * A public post matching the app's filtered-stream rules. An edit arrives as a new post: {@code editOf} names
     * the earlier versions it supersedes (X's {@code edit_history_tweet_ids}, oldest first, without this one).
     */
    record StreamPostMatched(
            EventMeta meta, String postId, String authorId, String text, List<MatchingRule> rules, List<String> editOf)
            implements ActivityEvent {
        public StreamPostMatched {
            Objects.requireNonNull(postId, "postId");
            rules = List.copyOf(rules);
            editOf = List.copyOf(editOf);
        }

        public StreamPostMatched(
                EventMeta meta, String postId, String authorId, String text, List<MatchingRule> rules) {
            this(meta, postId, authorId, text, rules, List.of());
        }

        @Override
        public String type() {
            return "stream.post.matched";
        }

        @Override
        public String contentPostId() {
            return postId;
        }
    }

    /** A replay job finished; {@code state} is X's {@code job_state} ({@code Complete}, {@code Incomplete}). */
    record ReplayJobFinished(EventMeta meta, String webhookId, String jobId, String state, String description)
            implements ActivityEvent {
        /** The type's stable name, also what the store looks events of this kind up by. */
        public static final String TYPE = "replay.job.finished";

        public ReplayJobFinished {
            Objects.requireNonNull(jobId, "jobId");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Anything not understood: kept whole, never dropped. */
    record UnknownActivity(EventMeta meta, String reason) implements ActivityEvent {
        @Override
        public String type() {
            return "unknown";
        }
    }
}
