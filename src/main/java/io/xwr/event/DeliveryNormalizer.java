package io.xwr.event;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one entry point of the domain: raw delivery bytes in, a {@link Normalization} out. Recognizes the
 * family by shape (spec 3.8) and never throws, whatever the bytes: what it cannot read it keeps as {@code
 * UnknownActivity} or marks unparseable.
 */
public final class DeliveryNormalizer {
    /** X's deliveries carry one to a few dozen events; a body with more is stored whole, its events trimmed. */
    public static final int DEFAULT_MAX_EVENTS = 1000;

    /**
     * JSON nodes read of one delivery: X's largest (a post with every expansion) has a few thousand; a tree of this
     * many tiny nodes weighs about 17 MiB, where a 5 MiB body of them read whole would weigh 115 MiB.
     */
    public static final int DEFAULT_MAX_NODES = 100_000;

    private final ObjectReader reader;
    private final int maxEvents;
    private final int maxNodes;
    private final AaaNormalizer aaa = new AaaNormalizer();
    private final XaaNormalizer xaa = new XaaNormalizer();
    private final StreamNormalizer stream = new StreamNormalizer();
    private final ReplayStatusNormalizer replay = new ReplayStatusNormalizer();

    public DeliveryNormalizer(ObjectMapper mapper) {
        this(mapper, DEFAULT_MAX_EVENTS, DEFAULT_MAX_NODES);
    }

    /**
     * @param maxEvents events one delivery may yield; what lies beyond is kept as one unknown activity
     * @param maxNodes JSON nodes read of one delivery; what lies beyond is counted and kept in the raw delivery
     */
    public DeliveryNormalizer(ObjectMapper mapper, int maxEvents, int maxNodes) {
        // A private copy: limits against hostile nesting, whatever the shared mapper is configured to.
        ObjectMapper own = mapper.copy();
        own.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(200).build());
        this.reader = own.reader();
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be positive: " + maxEvents);
        }
        this.maxEvents = maxEvents;
        if (maxNodes < 1) {
            throw new IllegalArgumentException("maxNodes must be positive: " + maxNodes);
        }
        this.maxNodes = maxNodes;
    }

    public Normalization normalize(byte[] body) {
        return normalize(body, true);
    }

    /**
     * The events alone, without the walk that finds every post the body carries: for reading an event's source
     * back at publish time, where purges no longer need the links.
     */
    public Normalization events(byte[] body) {
        return normalize(body, false);
    }

    private Normalization normalize(byte[] body, boolean findPosts) {
        BoundedTree.Tree tree;
        try {
            tree = BoundedTree.read(reader, body, maxNodes);
        } catch (JacksonException | RuntimeException e) {
            return new Normalization(ParseStatus.UNPARSEABLE, Family.UNKNOWN, List.of(), "not valid JSON");
        } catch (java.io.IOException e) {
            return new Normalization(ParseStatus.UNPARSEABLE, Family.UNKNOWN, List.of(), "not readable");
        }
        JsonNode root = tree.root();
        if (root == null || !root.isObject()) {
            return new Normalization(ParseStatus.UNPARSEABLE, Family.UNKNOWN, List.of(), "not a JSON object");
        }
        Family family = familyOf(root);
        EventBudget budget = new EventBudget(maxEvents);
        budget.skipped(tree.skippedElements());
        switch (family) {
            case REPLAY -> replay.normalize(root, budget);
            case XAA -> xaa.normalize(root, budget);
            case STREAM -> stream.normalize(root, budget);
            case AAA -> aaa.normalize(root, budget);
            case UNKNOWN -> {}
        }
        List<ActivityEvent> events = new ArrayList<>(budget.events());
        Set<String> posts = findPosts ? posts(root, tree) : Set.of();
        if (events.isEmpty() && !tree.complete()) {
            // Too large to read whole, and nothing readable in what was: an unknown activity that says so.
            String reason =
                    "more than " + maxNodes + " JSON nodes and no events among them; the raw delivery keeps" + " them";
            return new Normalization(
                    ParseStatus.UNKNOWN,
                    family,
                    List.of(overflow(family, body, reason, budget.omitted())),
                    reason,
                    posts);
        }
        if (events.isEmpty()) {
            // Nothing recognizable inside: the whole body is kept as one unknown activity.
            String reason =
                    family == Family.UNKNOWN ? "unknown payload shape" : "no events in a " + family + " envelope";
            return new Normalization(
                    ParseStatus.UNKNOWN, family, List.of(wholeBody(family, root, reason)), reason, posts);
        }
        String overflow = null;
        if (budget.omitted() > 0) {
            overflow = budget.omitted() + " elements beyond the limit of " + maxEvents + " events"
                    + (tree.complete() ? "" : " or " + maxNodes + " JSON nodes") + " per delivery; the raw delivery"
                    + " keeps them";
            events.add(overflow(family, body, overflow, budget.omitted()));
        }
        long unknown = events.stream()
                .filter(e -> e instanceof ActivityEvent.UnknownActivity)
                .count();
        if (unknown == 0) {
            return new Normalization(ParseStatus.PARSED, family, events, null, posts);
        }
        return new Normalization(
                ParseStatus.UNKNOWN,
                family,
                events,
                overflow != null ? overflow : unknown + " of " + events.size() + " events not understood",
                posts);
    }

    /** Every post the body carries: in the tree, and in what the bounded read left out of it. */
    private static Set<String> posts(JsonNode root, BoundedTree.Tree tree) {
        Set<String> posts = PostContent.postIds(root);
        posts.addAll(tree.skippedPosts());
        return posts;
    }

    /**
     * What the budget left out, as one unknown activity keyed by the hash of the body's bytes (X re-delivers the
     * same bytes, so a re-delivery adds nothing; a canonical hash of a huge tree would cost more than the rest);
     * its source says how much, never the elements themselves.
     */
    private static ActivityEvent overflow(Family family, byte[] body, String reason, int omitted) {
        ObjectNode source = JsonNodeFactory.instance.objectNode();
        source.put("omittedElements", omitted);
        return new ActivityEvent.UnknownActivity(
                new EventMeta(
                        EventKey.of(family.name().toLowerCase(Locale.ROOT), "overflow", Nodes.sha256Hex(body)),
                        family,
                        null,
                        null,
                        "overflow",
                        source),
                reason);
    }

    /** The whole body as one unknown activity, keyed {@code <family>:body:<canonical hash>}. */
    private static ActivityEvent wholeBody(Family family, JsonNode root, String reason) {
        return new ActivityEvent.UnknownActivity(
                new EventMeta(
                        EventKey.of(family.name().toLowerCase(Locale.ROOT), "body", Nodes.canonicalHash(root)),
                        family,
                        null,
                        null,
                        "body",
                        root),
                reason);
    }

    /** Spec 3.8, in order: replay status, XAA, filtered stream, AAA, else unknown. */
    static Family familyOf(JsonNode root) {
        if (root.has("replay_job_status")) {
            return Family.REPLAY;
        }
        JsonNode data = root.path("data");
        if (data.isObject() && data.has("event_type")
                || data.isArray() && data.size() > 0 && data.get(0).has("event_type")) {
            return Family.XAA;
        }
        if (root.path("matching_rules").isArray()
                || data.isObject() && data.has("id") && (data.has("text") || data.has("edit_history_tweet_ids"))) {
            return Family.STREAM;
        }
        if (root.has("user_event") || root.has("for_user_id")) {
            return Family.AAA;
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            if (names.next().endsWith("_events")) {
                return Family.AAA;
            }
        }
        return Family.UNKNOWN;
    }
}
