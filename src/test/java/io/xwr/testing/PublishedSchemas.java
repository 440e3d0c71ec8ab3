package io.xwr.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The JSON Schemas of docs/schemas/, as a consumer would apply them: found by a record's ce_dataschema. */
public final class PublishedSchemas {
    public static final Path DIR = Path.of("docs/schemas");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private PublishedSchemas() {}

    /** What is wrong with the value according to the schema the URI names (its last segment, in docs/schemas). */
    public static List<String> problems(String dataschema, String value) {
        String file = Path.of(URI.create(dataschema).getPath()).getFileName().toString();
        Schema schema = SCHEMAS.computeIfAbsent(file, PublishedSchemas::load);
        try {
            JsonNode node = JSON.readTree(value);
            return schema.validate(node).stream().map(Error::toString).toList();
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }

    private static Schema load(String file) {
        try {
            return REGISTRY.getSchema(Files.readString(DIR.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("no schema " + file + " in " + DIR, e);
        }
    }
}
