package dev.tollgate.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the event envelope with Jackson into Tollgate's own record. It deliberately avoids
 * stripe-java's deserializer, which refuses events whose API version differs from the one it pins.
 */
@ApplicationScoped
public class EnvelopeParser {

    private final ObjectMapper mapper;

    public EnvelopeParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public EventEnvelope parse(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw invalid("the body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("the body is not a JSON object");
        }
        JsonNode object = root.path("object");
        if (!object.isMissingNode() && !"event".equals(object.asText())) {
            throw invalid("its \"object\" is \"" + object.asText() + "\", not \"event\"");
        }
        String id = requiredText(root, "id");
        String type = requiredText(root, "type");
        JsonNode created = root.path("created");
        if (!created.canConvertToLong() || !created.isIntegralNumber()) {
            throw invalid("\"created\" is missing or not an integer");
        }
        JsonNode dataObject = root.path("data").path("object");
        if (!dataObject.isObject()) {
            throw invalid("\"data.object\" is missing or not an object");
        }
        JsonNode apiVersion = root.path("api_version");
        return new EventEnvelope(
                id,
                type,
                created.asLong(),
                apiVersion.isTextual() ? apiVersion.asText() : null,
                root.path("livemode").asBoolean(false),
                textOrNull(dataObject.path("object")),
                textOrNull(dataObject.path("id")),
                new String(body, StandardCharsets.UTF_8));
    }

    private static String requiredText(JsonNode root, String field) {
        JsonNode node = root.path(field);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw invalid("\"" + field + "\" is missing or not a string");
        }
        if (node.asText().length() > 255) {
            throw invalid("\"" + field + "\" is longer than 255 characters");
        }
        return node.asText();
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static MalformedEventException invalid(String why) {
        return new MalformedEventException("The body is not a Stripe event: " + why + ".");
    }
}
