package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders a kustomize overlay without kubectl: resources (files and directories, recursively),
 * {@code components}, configMapGenerator files, {@code images} and JSON-6902 {@code replace} and {@code add}
 * patches, checking on the way
 * that every file exists and every patch finds its target. Enough for Tollgate's manifests; a
 * kustomization using more than this fails here with a message saying so. When kubectl exists,
 * {@link #kubectl} renders with the real thing for comparison.
 */
final class Kustomization {

    static final YAMLMapper YAML = new YAMLMapper();

    private Kustomization() {
    }

    static List<ObjectNode> render(Path dir) {
        JsonNode kustomization = read(dir.resolve("kustomization.yaml")).get(0);
        List<ObjectNode> documents = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            assertTrue(Files.exists(path), dir + ": resource " + resource.asText() + " does not exist");
            documents.addAll(Files.isDirectory(path) ? render(path) : read(path));
        }
        for (JsonNode component : kustomization.path("components")) {
            Path path = dir.resolve(component.asText()).normalize();
            assertTrue(Files.isDirectory(path), dir + ": component " + component.asText() + " does not exist");
            assertEquals("Component", read(path.resolve("kustomization.yaml")).get(0).path("kind").asText(),
                    path + " is included as a component but is no kustomize Component");
            documents.addAll(render(path));
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            for (JsonNode file : generator.path("files")) {
                assertTrue(Files.exists(dir.resolve(file.asText())), dir + ": generator file " + file + " missing");
            }
            ObjectNode configMap = YAML.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
            configMap.putObject("metadata").put("name", generator.path("name").asText())
                    .set("labels", generator.path("options").path("labels").deepCopy());
            ObjectNode data = configMap.putObject("data");
            for (JsonNode file : generator.path("files")) {
                data.put(Path.of(file.asText()).getFileName().toString(), text(dir.resolve(file.asText())));
            }
            documents.add(configMap);
        }
        for (JsonNode image : kustomization.path("images")) {
            for (ObjectNode doc : documents) {
                for (JsonNode container : doc.path("spec").path("template").path("spec").path("containers")) {
                    if (container.path("image").asText().equals(image.path("name").asText())) {
                        ((ObjectNode) container).put("image",
                                image.path("newName").asText(image.path("name").asText()) + ":"
                                        + image.path("newTag").asText());
                    }
                }
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            JsonNode target = patch.path("target");
            ObjectNode doc = documents.stream()
                    .filter(d -> d.path("kind").asText().equals(target.path("kind").asText())
                            && d.path("metadata").path("name").asText().equals(target.path("name").asText()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(dir + ": patch target " + target + " matches nothing"));
            for (JsonNode op : tree(patch.path("patch").asText())) {
                JsonPointer pointer = JsonPointer.compile(op.path("path").asText());
                JsonNode parent = doc.at(pointer.head());
                String last = pointer.last().getMatchingProperty();
                switch (op.path("op").asText()) {
                    case "replace" -> {
                        assertTrue(parent.isObject() && !doc.at(pointer).isMissingNode(),
                                dir + ": patch path " + pointer + " does not exist in " + target);
                        ((ObjectNode) parent).set(last, op.path("value"));
                    }
                    case "add" -> {
                        assertTrue(parent.isContainerNode(), dir + ": patch path " + pointer.head()
                                + " does not exist in " + target);
                        if (parent.isArray()) {
                            assertEquals("-", last, dir + ": only appends (\"/-\") to arrays are rendered here");
                            ((ArrayNode) parent).add(op.path("value"));
                        } else {
                            ((ObjectNode) parent).set(last, op.path("value"));
                        }
                    }
                    default -> throw new AssertionError(dir + ": only replace and add ops are rendered here");
                }
            }
        }
        return documents;
    }

    /** The overlay rendered by {@code kubectl kustomize}, when kubectl is installed. */
    static Optional<List<ObjectNode>> kubectl(Path dir) {
        Optional<Path> kubectl = onPath("kubectl");
        if (kubectl.isEmpty()) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(kubectl.get().toString(), "kustomize", dir.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize timed out");
            assertEquals(0, process.exitValue(), "kubectl kustomize " + dir + " failed:\n" + output);
            return Optional.of(read(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<ObjectNode> read(Path file) {
        return read(text(file));
    }

    private static List<ObjectNode> read(String yaml) {
        List<ObjectNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.isObject()) {
                    documents.add((ObjectNode) doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    private static JsonNode tree(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
