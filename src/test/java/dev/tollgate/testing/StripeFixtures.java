package dev.tollgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Stripe's own example objects (openapi/fixtures3.json, copied into test resources unchanged). Tests,
 * the trigger tool and the benchmark start from these shapes instead of inventing payloads.
 */
public final class StripeFixtures {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode RESOURCES = load();

    private StripeFixtures() {
    }

    /** A fresh, mutable copy of the example object of that type ("subscription", "checkout.session", ...). */
    public static ObjectNode object(String type) {
        JsonNode node = RESOURCES.get(type);
        if (node == null) {
            throw new IllegalArgumentException("fixtures3.json has no " + type);
        }
        return (ObjectNode) node.deepCopy();
    }

    private static JsonNode load() {
        try (InputStream in = StripeFixtures.class.getResourceAsStream("/stripe/fixtures3.json")) {
            return MAPPER.readTree(in).get("resources");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
