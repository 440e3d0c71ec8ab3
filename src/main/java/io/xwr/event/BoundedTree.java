package io.xwr.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A body read as a tree of at most {@code maxNodes} nodes. Jackson's tree of a body of tiny elements weighs about
 * twenty times the body (a 5 MiB one, 115 MiB), which one hostile delivery must not cost the heap. Past the limit
 * the parser still reads every token (a body that is not JSON is still refused, and the posts in what is skipped are
 * still found, so a purge finds every copy) but builds nothing: later array elements and fields are left out, and an
 * element the limit cut in the middle is left out whole, so an event is only ever made of a complete element.
 * Under the limit the tree is the one {@link ObjectReader#readTree} builds, node for node, so keys do not depend on
 * the size of the delivery an element came in.
 */
final class BoundedTree {
    /** The tree, the array elements left out of it, and the ids of the posts inside what was left out. */
    record Tree(JsonNode root, int skippedElements, boolean complete, Set<String> skippedPosts) {}

    private final JsonParser parser;
    private final JsonNodeFactory nodes;
    private final boolean bigDecimals;
    private final int maxNodes;
    private final Set<String> skippedPosts = new LinkedHashSet<>();
    private int built;
    private int skippedElements;
    private int cuts;

    private BoundedTree(JsonParser parser, JsonNodeFactory nodes, boolean bigDecimals, int maxNodes) {
        this.parser = parser;
        this.nodes = nodes;
        this.bigDecimals = bigDecimals;
        this.maxNodes = maxNodes;
    }

    /** The body's first JSON value as a bounded tree; a null root when the body holds none. */
    static Tree read(ObjectReader reader, byte[] body, int maxNodes) throws IOException {
        try (JsonParser parser = reader.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Tree(null, 0, true, Set.of());
            }
            BoundedTree tree = new BoundedTree(
                    parser,
                    reader.getConfig().getNodeFactory(),
                    reader.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS),
                    maxNodes);
            JsonNode root = tree.value(first);
            return new Tree(root, tree.skippedElements, tree.cuts == 0, tree.skippedPosts);
        }
    }

    private JsonNode value(JsonToken token) throws IOException {
        built++;
        return switch (token) {
            case START_OBJECT -> object();
            case START_ARRAY -> array();
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> integer();
            case VALUE_NUMBER_FLOAT -> decimal();
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new IOException("unexpected token " + token);
        };
    }

    private ObjectNode object() throws IOException {
        ObjectNode object = nodes.objectNode();
        PostContent.Fields rest = null;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            if (built >= maxNodes) {
                // the object's own fields past the cut still decide whether it is a post
                cuts++;
                if (rest == null) {
                    rest = PostContent.Fields.of(object);
                }
                rest.field(name, token, parser, skippedPosts);
            } else {
                object.replace(name, value(token));
            }
        }
        if (rest != null) {
            rest.addTo(skippedPosts);
        }
        return object;
    }

    private ArrayNode array() throws IOException {
        ArrayNode array = nodes.arrayNode();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (built >= maxNodes) {
                skip(token);
                skippedElements++;
                continue;
            }
            int cutsBefore = cuts;
            JsonNode element = value(token);
            if (cuts == cutsBefore) {
                array.add(element);
            } else {
                // cut in the middle: left out whole, its posts found all the same
                skippedElements++;
                skippedPosts.addAll(PostContent.postIds(element));
            }
        }
        return array;
    }

    private void skip(JsonToken token) throws IOException {
        cuts++;
        if (token.isStructStart()) {
            PostContent.scanPosts(parser, skippedPosts);
        }
    }

    /** As Jackson's own tree reader: the smallest integer type that holds the value. */
    private JsonNode integer() throws IOException {
        return switch (parser.getNumberType()) {
            case INT -> nodes.numberNode(parser.getIntValue());
            case LONG -> nodes.numberNode(parser.getLongValue());
            default -> nodes.numberNode(parser.getBigIntegerValue());
        };
    }

    /** As Jackson's own tree reader: a double unless the reader asks for big decimals (or the parser has one). */
    private JsonNode decimal() throws IOException {
        if (parser.getNumberType() == JsonParser.NumberType.BIG_DECIMAL) {
            return nodes.numberNode(parser.getDecimalValue());
        }
        if (bigDecimals && !parser.isNaN()) {
            return nodes.numberNode(parser.getDecimalValue());
        }
        return nodes.numberNode(parser.getDoubleValue());
    }
}
