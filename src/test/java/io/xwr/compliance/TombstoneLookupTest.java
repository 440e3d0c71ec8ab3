package io.xwr.compliance;

import static io.xwr.testing.Deliveries.randomId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.event.Erasure;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The per-batch tombstone lookup, on PostgreSQL, past one IN list and with ids shared between kinds. */
@QuarkusTest
class TombstoneLookupTest {
    @Inject
    Purges purges;

    @Test
    void findsEveryPurgeAmongMoreSubjectsThanOneListHoldsAndKeepsTheKindsApart() {
        // Given: 300 posts and 50 users to look up (three IN lists), purges of 3 of the posts (first, middle, last
        // list) and 2 of the users, and a purged user whose id is also looked up, but only as a post id
        List<String> posts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            posts.add(randomId());
        }
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            users.add(randomId());
        }
        String userAlsoAsPost = randomId();
        posts.add(userAlsoAsPost);
        Instant now = Instant.now();
        for (String post : List.of(posts.get(0), posts.get(150), posts.get(299))) {
            purges.requestByOperator(new Erasure(Erasure.Kind.POST, post), "test", now);
        }
        for (String user : List.of(users.get(7), users.get(49), userAlsoAsPost)) {
            purges.requestByOperator(new Erasure(Erasure.Kind.USER, user), "test", now);
        }

        // When
        Tombstones found = QuarkusTransaction.requiringNew().call(() -> purges.tombstones(posts, users));

        // Then
        Set<String> expected = Set.of(
                "POST " + posts.get(0),
                "POST " + posts.get(150),
                "POST " + posts.get(299),
                "USER " + users.get(7),
                "USER " + users.get(49));
        assertEquals(
                expected,
                found.all().stream().map(t -> t.kind() + " " + t.subjectId()).collect(Collectors.toSet()));
        assertEquals(5, found.all().size());
    }
}
