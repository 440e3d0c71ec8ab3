package io.xwr.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What {@code kubectl kustomize} makes of a directory, for the subset of kustomize this repository uses:
 * resources (files and directories), components, strategic-merge patches (maps merge, lists and scalars
 * replace, {@code $patch: delete} removes), labels (with templates, never selectors), namespace and images. No
 * kustomize binary exists on the build machine; an unknown field fails the build rather than being ignored.
 */
final class Kustomize {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> KNOWN =
            List.of("apiVersion", "kind", "resources", "components", "patches", "labels", "namespace", "images");

    /** One object of the output and the file it came from. */
    record Resource(Path file, ObjectNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        JsonNode labels() {
            return node.path("metadata").path("labels");
        }
    }

    private Kustomize() {}

    static List<Resource> build(Path dir) {
        List<Resource> out = new ArrayList<>();
        JsonNode k = kustomization(dir, "Kustomization");
        apply(dir, k, out);
        return out;
    }

    private static void apply(Path dir, JsonNode k, List<Resource> out) {
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(build(p));
            } else {
                out.addAll(load(p));
            }
        }
        for (JsonNode c : k.path("components")) {
            Path p = dir.resolve(c.asText()).normalize();
            apply(p, kustomization(p, "Component"), out);
        }
        for (JsonNode patch : k.path("patches")) {
            for (Resource p : load(dir.resolve(patch.path("path").asText()))) {
                patch(out, p);
            }
        }
        for (JsonNode label : k.path("labels")) {
            if (label.path("includeSelectors").asBoolean(false)) {
                throw new IllegalStateException(dir + ": labels in selectors would stop roll-outs in place");
            }
            for (Resource r : out) {
                addLabels(r.node(), label.path("pairs"));
                if (label.path("includeTemplates").asBoolean(false)
                        && r.node().path("spec").path("template").isObject()) {
                    addLabels((ObjectNode) r.node().path("spec").path("template"), label.path("pairs"));
                }
            }
        }
        if (k.has("namespace")) {
            for (Resource r : out) {
                ((ObjectNode) r.node().path("metadata"))
                        .put("namespace", k.path("namespace").asText());
            }
        }
        for (JsonNode image : k.path("images")) {
            for (Resource r : out) {
                for (JsonNode container :
                        r.node().path("spec").path("template").path("spec").path("containers")) {
                    String current = container.path("image").asText();
                    String name = current.contains(":") ? current.substring(0, current.lastIndexOf(':')) : current;
                    String tag = current.contains(":") ? current.substring(current.lastIndexOf(':') + 1) : null;
                    if (name.equals(image.path("name").asText())) {
                        String newName = image.path("newName").asText(name);
                        String newTag =
                                image.has("newTag") ? image.path("newTag").asText() : tag;
                        ((ObjectNode) container).put("image", newTag == null ? newName : newName + ":" + newTag);
                    }
                }
            }
        }
    }

    private static JsonNode kustomization(Path dir, String kind) {
        JsonNode k = load(dir.resolve("kustomization.yaml")).getFirst().node();
        if (!kind.equals(k.path("kind").asText())) {
            throw new IllegalStateException(dir + " is not a " + kind);
        }
        for (Iterator<String> fields = k.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!KNOWN.contains(field)) {
                throw new IllegalStateException(dir + ": kustomize field " + field + " is not rendered by this test");
            }
        }
        return k;
    }

    private static void patch(List<Resource> out, Resource patch) {
        Resource target = out.stream()
                .filter(r -> r.kind().equals(patch.kind()) && r.name().equals(patch.name()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        patch.file() + ": no " + patch.kind() + " " + patch.name() + " to patch"));
        if ("delete".equals(patch.node().path("$patch").asText())) {
            out.remove(target);
        } else {
            merge(target.node(), patch.node());
        }
    }

    private static void merge(ObjectNode into, JsonNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isObject() && into.path(field.getKey()).isObject()) {
                merge((ObjectNode) into.get(field.getKey()), field.getValue());
            } else {
                into.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private static void addLabels(ObjectNode object, JsonNode pairs) {
        ObjectNode metadata =
                object.has("metadata") ? (ObjectNode) object.get("metadata") : object.putObject("metadata");
        ObjectNode labels = metadata.has("labels") ? (ObjectNode) metadata.get("labels") : metadata.putObject("labels");
        labels.setAll((ObjectNode) pairs);
    }

    static List<Resource> load(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is listed but does not exist");
        }
        List<Resource> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (node != null && !node.isEmpty()) {
                    docs.add(new Resource(file, (ObjectNode) node));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }
}
