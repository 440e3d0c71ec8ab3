package io.xwr.config;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.xwr.event.ActivityEvent;

/**
 * The domain records Jackson reads reflectively outside REST endpoints ({@code EventJson} turns every event into
 * the stored and published JSON). The domain package knows nothing of Quarkus, so the native-image registration
 * lives here; {@code DomainReflectionTest} fails when an event type is added without it.
 */
@RegisterForReflection(
        targets = {
            ActivityEvent.MatchingRule.class,
            ActivityEvent.PostCreated.class,
            ActivityEvent.PostDeleted.class,
            ActivityEvent.PostLiked.class,
            ActivityEvent.UserFollowed.class,
            ActivityEvent.UserUnfollowed.class,
            ActivityEvent.UserBlocked.class,
            ActivityEvent.UserUnblocked.class,
            ActivityEvent.UserMuted.class,
            ActivityEvent.UserUnmuted.class,
            ActivityEvent.DirectMessageSent.class,
            ActivityEvent.DirectMessageReceived.class,
            ActivityEvent.DirectMessageTyping.class,
            ActivityEvent.DirectMessagesRead.class,
            ActivityEvent.AppAccessRevoked.class,
            ActivityEvent.ProfileUpdated.class,
            ActivityEvent.ChatMessageSent.class,
            ActivityEvent.ChatMessageReceived.class,
            ActivityEvent.ChatConversationChanged.class,
            ActivityEvent.SpaceStarted.class,
            ActivityEvent.SpaceEnded.class,
            ActivityEvent.BroadcastStarted.class,
            ActivityEvent.BroadcastEnded.class,
            ActivityEvent.BroadcastChatPosted.class,
            ActivityEvent.NewsPublished.class,
            ActivityEvent.StreamPostMatched.class,
            ActivityEvent.ReplayJobFinished.class,
            ActivityEvent.UnknownActivity.class
        })
final class DomainReflection {
    private DomainReflection() {}
}
