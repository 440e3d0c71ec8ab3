package io.xwr.event;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The one entry point of the domain: raw delivery bytes in, a {@link Normalization} out. Recognizes the
 * family by shape (spec 3.8) and never throws, whatever the bytes: what it cannot read it keeps as {@code
 * UnknownActivity} or marks unparseable.
 */
public final class DeliveryNormalizer {
    private final ObjectReader reader;
    private final AaaNormalizer aaa = new AaaNormalizer();
    private final XaaNormalizer xaa = new XaaNormalizer();
    private final StreamNormalizer stream = new StreamNormalizer();
    private final ReplayStatusNormalizer replay = new ReplayStatusNormalizer();

    public DeliveryNormalizer(ObjectMapper mapper) {
        // A private copy: limits against hostile nesting, whatever the shared mapper is configured to.
        ObjectMapper own = mapper.copy();
        own.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(200).build());
        this.reader = own.reader();
    }

    public Normalization normalize(byte[] body) {
        JsonNode root;
        try {
            root = reader.readTree(body);
        } catch (JacksonException | RuntimeException e) {
            return new Normalization(ParseStatus.UNPARSEABLE, Family.UNKNOWN, List.of(), "not valid JSON");
        } catch (java.io.IOException e) {
            return new Normalization(ParseStatus.UNPARSEABLE, Family.UNKNOWN, List.of(), "not readable");
        }
        if (root == null || !root.isObject()) {
            return new Normalization(ParseStatus.UNPARSEABLE, Family.UNKNOWN, List.of(), "not a JSON object");
        }
        Family family = familyOf(root);
        List<ActivityEvent> events =
                switch (family) {
                    case REPLAY -> replay.normalize(root);
                    case XAA -> xaa.normalize(root);
                    case STREAM -> stream.normalize(root);
                    case AAA -> aaa.normalize(root);
                    case UNKNOWN -> List.of();
                };
        if (events.isEmpty()) {
            // Nothing recognizable inside: the whole body is kept as one unknown activity.
            String reason =
                    family == Family.UNKNOWN ? "unknown payload shape" : "no events in a " + family + " envelope";
            return new Normalization(ParseStatus.UNKNOWN, family, List.of(wholeBody(family, root, reason)), reason);
        }
        long unknown = events.stream()
                .filter(e -> e instanceof ActivityEvent.UnknownActivity)
                .count();
        return unknown == 0
                ? new Normalization(ParseStatus.PARSED, family, events, null)
                : new Normalization(
                        ParseStatus.UNKNOWN,
                        family,
                        events,
                        unknown + " of " + events.size() + " events not understood");
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
