package io.xwr.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every fixture (one per event type, from the spec's examples) against the record, key, type and account it
 * must yield. A key ending in {@code *} is a prefix (the rest is a content hash).
 */
class FixtureNormalizationTest {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    private static final DeliveryNormalizer NORMALIZER = new DeliveryNormalizer(new ObjectMapper());

    // fixture | status | records (space separated) | keys (space separated) | type of the first | account
    private static final String TABLE = """
            aaa/post.json | PARSED | PostCreated | aaa:2244994945:tweet:1924465506158878979 | post.created | 2244994945
            aaa/post-reply.json | PARSED | PostCreated | aaa:2244994945:tweet:1924465506158878980 | post.created | 2244994945
            aaa/post-repost.json | PARSED | PostCreated | aaa:2244994945:tweet:1924465506158878981 | post.created | 2244994945
            aaa/post-quote.json | PARSED | PostCreated | aaa:2244994945:tweet:1924465506158878982 | post.created | 2244994945
            aaa/post-mention.json | PARSED | PostCreated | aaa:2244994945:tweet:1924470000000000001 | post.created | 2244994945
            aaa/post-long.json | PARSED | PostCreated | aaa:2244994945:tweet:1924465506158878983 | post.created | 2244994945
            aaa/posts-batch.json | PARSED | PostCreated PostCreated | aaa:2244994945:tweet:1924465506158878990 aaa:2244994945:tweet:1924465506158878991 | post.created | 2244994945
            aaa/like.json | PARSED | PostLiked | aaa:2244994945:fav:a7ba59eab0bfcba386f7acedac279542 | post.liked | 2244994945
            aaa/follow.json | PARSED | UserFollowed | aaa:1245855954975051776:follow:1245855954975051776:1693649419:1586216143967 | user.followed | 1245855954975051776
            aaa/unfollow.json | PARSED | UserUnfollowed | aaa:1245855954975051776:unfollow:1245855954975051776:1693649419:1586216200000 | user.unfollowed | 1245855954975051776
            aaa/unfollow-own-key.json | PARSED | UserUnfollowed | aaa:1245855954975051776:unfollow:1245855954975051776:1693649419:1586216300000 | user.unfollowed | 1245855954975051776
            aaa/block.json | PARSED | UserBlocked | aaa:2244994945:block:2244994945:1693649419:1518127020304 | user.blocked | 2244994945
            aaa/unblock.json | PARSED | UserUnblocked | aaa:2244994945:unblock:2244994945:1693649419:1518127020999 | user.unblocked | 2244994945
            aaa/mute.json | PARSED | UserMuted | aaa:2244994945:mute:2244994945:1693649419:1518127020000 | user.muted | 2244994945
            aaa/unmute.json | PARSED | UserUnmuted | aaa:2244994945:unmute:2244994945:1693649419:1518127020304 | user.unmuted | 2244994945
            aaa/dm-received.json | PARSED | DirectMessageReceived | aaa:4337869213:dm:954491830116155396 | dm.received | 4337869213
            aaa/dm-sent.json | PARSED | DirectMessageSent | aaa:3001969357:dm:954491830116155396 | dm.sent | 3001969357
            aaa/typing.json | PARSED | DirectMessageTyping | aaa:4337869213:typing:3284025577:3001969357:1518127183443 | dm.typing | 4337869213
            aaa/read.json | PARSED | DirectMessagesRead | aaa:1245855954975051776:read:1693649419:1245855954975051776:1247310121283321862 | dm.read | 1245855954975051776
            aaa/delete.json | PARSED | PostDeleted | aaa:930524282358325248:delete:1045405559317569537 | post.deleted | 930524282358325248
            aaa/revoke.json | PARSED | AppAccessRevoked | aaa:63046977:revoke:13090192:2018-05-24T09:48:12+00:00 | app.revoked | 63046977
            xaa/profile.update.bio.json | PARSED | ProfileUpdated | xaa:profile.update.bio:user_id=1111111111111111111:-8917909039855612780 | profile.updated | 1111111111111111111
            xaa/profile.update.profile_picture.json | PARSED | ProfileUpdated | xaa:profile.update.profile_picture:user_id=1111111111111111111:-8917909039855612781 | profile.updated | 1111111111111111111
            xaa/profile.update.banner_picture.json | PARSED | ProfileUpdated | xaa:profile.update.banner_picture:user_id=1111111111111111111:-8917909039855612782 | profile.updated | 1111111111111111111
            xaa/profile.update.screenname.json | PARSED | ProfileUpdated | xaa:profile.update.screenname:user_id=1111111111111111111:-8917909039855612783 | profile.updated | 1111111111111111111
            xaa/profile.update.handle.json | PARSED | ProfileUpdated | xaa:profile.update.handle:user_id=1111111111111111111:-8917909039855612784 | profile.updated | 1111111111111111111
            xaa/profile.update.geo.json | PARSED | ProfileUpdated | xaa:profile.update.geo:user_id=1111111111111111111:-8917909039855612785 | profile.updated | 1111111111111111111
            xaa/profile.update.url.json | PARSED | ProfileUpdated | xaa:profile.update.url:user_id=1111111111111111111:-8917909039855612786 | profile.updated | 1111111111111111111
            xaa/profile.update.verified_badge.json | PARSED | ProfileUpdated | xaa:profile.update.verified_badge:user_id=1111111111111111111:-8917909039855612787 | profile.updated | 1111111111111111111
            xaa/profile.update.affiliate_badge.json | PARSED | ProfileUpdated | xaa:profile.update.affiliate_badge:user_id=1111111111111111111:-8917909039855612788 | profile.updated | 1111111111111111111
            xaa/legacy-ProfileBioUpdate.json | PARSED | ProfileUpdated | xaa:profile.update.bio:user_id=1111111111111111111:-2781149976877970683 | profile.updated | 1111111111111111111
            xaa/legacy-ProfileGeoUpdate.json | PARSED | ProfileUpdated | xaa:profile.update.geo:user_id=1111111111111111111:-2781149976877970684 | profile.updated | 1111111111111111111
            xaa/legacy-profile.update.verified.json | PARSED | ProfileUpdated | xaa:profile.update.verified_badge:user_id=1111111111111111111:-2781149976877970685 | profile.updated | 1111111111111111111
            xaa/post.create.json | PARSED | PostCreated | xaa:post.create:user_id=1111111111111111111:2080761390344937796 | post.created | 1111111111111111111
            xaa/post.mention.create.json | PARSED | PostCreated | xaa:post.mention.create:user_id=1111111111111111111:2090000000000000002 | post.created | 1111111111111111111
            xaa/post.reply.create.json | PARSED | PostCreated | xaa:post.reply.create:user_id=1111111111111111111:3091827364059182736 | post.created | 1111111111111111111
            xaa/post.quote.create.json | PARSED | PostCreated | xaa:post.quote.create:user_id=1111111111111111111:2090000000000000003 | post.created | 1111111111111111111
            xaa/post.repost.create.json | PARSED | PostCreated | xaa:post.repost.create:user_id=1111111111111111111:2090000000000000004 | post.created | 1111111111111111111
            xaa/post.delete.json | PARSED | PostDeleted | xaa:post.delete:user_id=1111111111111111111:2080761269309813134 | post.deleted | 1111111111111111111
            xaa/like.create.json | PARSED | PostLiked | xaa:like.create:direction=outbound,user_id=1111111111111111111:87719f50ee17bdfa06a3089098a2b9ed | post.liked | 1111111111111111111
            xaa/follow.follow.json | PARSED | UserFollowed | xaa:follow.follow:user_id=1111111111111111111:-5533992237713002321 | user.followed | 1111111111111111111
            xaa/follow.unfollow.json | PARSED | UserUnfollowed | xaa:follow.unfollow:user_id=1111111111111111111:-5533992237713002322 | user.unfollowed | 1111111111111111111
            xaa/mute.mute.json | PARSED | UserMuted | xaa:mute.mute:user_id=1111111111111111111:7000000000000000001 | user.muted | 1111111111111111111
            xaa/mute.unmute.json | PARSED | UserUnmuted | xaa:mute.unmute:user_id=1111111111111111111:7000000000000000002 | user.unmuted | 1111111111111111111
            xaa/block.block.json | PARSED | UserBlocked | xaa:block.block:user_id=1111111111111111111:7000000000000000003 | user.blocked | 1111111111111111111
            xaa/block.unblock.json | PARSED | UserUnblocked | xaa:block.unblock:user_id=1111111111111111111:7000000000000000004 | user.unblocked | 1111111111111111111
            xaa/dm.received.json | PARSED | DirectMessageReceived | xaa:dm.received:user_id=1111111111111111111:1950000000000000001 | dm.received | 1111111111111111111
            xaa/dm.sent.json | PARSED | DirectMessageSent | xaa:dm.sent:user_id=1111111111111111111:1950000000000000002 | dm.sent | 1111111111111111111
            xaa/dm.read.json | PARSED | DirectMessagesRead | xaa:dm.read:user_id=1111111111111111111:1950000000000000003 | dm.read | 1111111111111111111
            xaa/dm.indicate_typing.json | PARSED | DirectMessageTyping | xaa:dm.indicate_typing:user_id=1111111111111111111:1950000000000000004 | dm.typing | 1111111111111111111
            xaa/chat.received.json | PARSED | ChatMessageReceived | xaa:chat.received:user_id=1111111111111111111:0f52b591-4b7e-4f13-92cd-30e6b2a3f18a | chat.message.received | 1111111111111111111
            xaa/chat.sent.json | PARSED | ChatMessageSent | xaa:chat.sent:user_id=1111111111111111111:0f52b591-4b7e-4f13-92cd-30e6b2a3f18b | chat.message.sent | 1111111111111111111
            xaa/chat.conversation.join.json | PARSED | ChatConversationChanged | xaa:chat.conversation.join:user_id=1111111111111111111:0f52b591-4b7e-4f13-92cd-30e6b2a3f190 | chat.conversation.changed | 1111111111111111111
            xaa/chat.conversation.member_added.json | PARSED | ChatConversationChanged | xaa:chat.conversation.member_added:user_id=1111111111111111111:0f52b591-4b7e-4f13-92cd-30e6b2a3f191 | chat.conversation.changed | 1111111111111111111
            xaa/chat.conversation.member_removed.json | PARSED | ChatConversationChanged | xaa:chat.conversation.member_removed:user_id=1111111111111111111:0f52b591-4b7e-4f13-92cd-30e6b2a3f192 | chat.conversation.changed | 1111111111111111111
            xaa/chat.conversation.admin_added.json | PARSED | ChatConversationChanged | xaa:chat.conversation.admin_added:user_id=1111111111111111111:0f52b591-4b7e-4f13-92cd-30e6b2a3f193 | chat.conversation.changed | 1111111111111111111
            xaa/chat.conversation.admin_removed.json | PARSED | ChatConversationChanged | xaa:chat.conversation.admin_removed:user_id=1111111111111111111:0f52b591-4b7e-4f13-92cd-30e6b2a3f194 | chat.conversation.changed | 1111111111111111111
            xaa/chat.update.group_name.json | PARSED | ChatConversationChanged | xaa:chat.update.group_name:user_id=1111111111111111111:0f52b591-4b7e-4f13-92cd-30e6b2a3f195 | chat.conversation.changed | 1111111111111111111
            xaa/chat.update.restrictions.json | PARSED | ChatConversationChanged | xaa:chat.update.restrictions:user_id=1111111111111111111:0f52b591-4b7e-4f13-92cd-30e6b2a3f196 | chat.conversation.changed | 1111111111111111111
            xaa/legacy-chat.conversation_join.json | PARSED | ChatConversationChanged | xaa:chat.conversation.join:user_id=1111111111111111111:0f52b591-4b7e-4f13-92cd-30e6b2a3f200 | chat.conversation.changed | 1111111111111111111
            xaa/spaces.start.json | PARSED | SpaceStarted | xaa:spaces.start:user_id=1111111111111111111:8100000000000000001 | space.started | 1111111111111111111
            xaa/spaces.end.json | PARSED | SpaceEnded | xaa:spaces.end:user_id=1111111111111111111:8100000000000000002 | space.ended | 1111111111111111111
            xaa/broadcast.start.json | PARSED | BroadcastStarted | xaa:broadcast.start:user_id=1111111111111111111:8200000000000000001 | broadcast.started | 1111111111111111111
            xaa/broadcast.end.json | PARSED | BroadcastEnded | xaa:broadcast.end:user_id=1111111111111111111:8200000000000000002 | broadcast.ended | 1111111111111111111
            xaa/broadcast.chat.json | PARSED | BroadcastChatPosted | xaa:broadcast.chat:user_id=1111111111111111111:8200000000000000003 | broadcast.chat.posted | 1111111111111111111
            xaa/news.new.json | PARSED | NewsPublished | xaa:news.new:keyword=webhooks:1948000000000000001 | news.published | -
            xaa/oauth.revoke.json | PARSED | AppAccessRevoked | xaa:oauth.revoke:-:5934540941047412905 | app.revoked | 1111111111111111111
            xaa/batch-array.json | PARSED | ProfileUpdated ProfileUpdated | xaa:profile.update.bio:user_id=1111111111111111111:-1 xaa:profile.update.url:user_id=1111111111111111111:-2 | profile.updated | 1111111111111111111
            stream/post.json | PARSED | StreamPostMatched | stream:1346889436626259968 | stream.post.matched | 2244994945
            replay/complete.json | PARSED | ReplayJobFinished | replay:1234577122340233217:1095098195724558337:Complete | replay.job.finished | 1234577122340233217
            replay/incomplete.json | PARSED | ReplayJobFinished | replay:123451374207332352:1093226942650736640:Incomplete | replay.job.finished | 123451374207332352
            unknown/aaa-unknown-events-key.json | UNKNOWN | UnknownActivity | aaa:2244994945:unknown:bookmark_events:* | unknown | 2244994945
            unknown/xaa-unknown-event-type.json | UNKNOWN | UnknownActivity | xaa:bookmark.create:user_id=1111111111111111111:9900000000000000001 | unknown | 1111111111111111111
            unknown/errors.json | UNKNOWN | UnknownActivity | unknown:body:* | unknown | -
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = TABLE)
    void fixtureYieldsItsRecordsKeysTypeAndAccount(
            String fixture, String status, String records, String keys, String type, String account)
            throws IOException {
        // Given
        byte[] body = Files.readAllBytes(FIXTURES.resolve(fixture));

        // When
        Normalization n = NORMALIZER.normalize(body);

        // Then
        assertEquals(ParseStatus.valueOf(status), n.status(), fixture);
        assertEquals(
                List.of(records.split(" ")),
                n.events().stream().map(e -> e.getClass().getSimpleName()).toList());
        List<String> expectedKeys = List.of(keys.split(" "));
        for (int i = 0; i < expectedKeys.size(); i++) {
            String expected = expectedKeys.get(i);
            String actual = n.events().get(i).key().value();
            if (expected.endsWith("*")) {
                assertTrue(actual.startsWith(expected.substring(0, expected.length() - 1)), actual);
                assertTrue(actual.matches(".*:[0-9a-f]{64}"), actual);
            } else {
                assertEquals(expected, actual);
            }
        }
        assertEquals(type, n.events().getFirst().type());
        assertEquals(account.equals("-") ? null : account, n.events().getFirst().accountId());
    }

    @Test
    void everyFixtureHasAnExpectation() throws IOException {
        Set<String> expected = Arrays.stream(TABLE.strip().split("\n"))
                .map(line -> line.split("\\|")[0].trim())
                .collect(Collectors.toSet());
        Set<String> files;
        try (Stream<Path> walk = Files.walk(FIXTURES)) {
            files = walk.filter(p -> p.toString().endsWith(".json"))
                    .map(p -> FIXTURES.relativize(p).toString())
                    .collect(Collectors.toCollection(HashSet::new));
        }
        assertEquals(files, expected);
    }
}
