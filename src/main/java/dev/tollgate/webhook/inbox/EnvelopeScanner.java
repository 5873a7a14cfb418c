package dev.tollgate.webhook.inbox;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads a Stripe event's envelope in one streaming pass, without building a tree of the whole event:
 * the top-level scalars and {@code data.object}'s own {@code object} and {@code id}. Building the tree
 * of every event was the largest single cost of acknowledging one.
 */
final class EnvelopeScanner {

    /** What the scan found; absent parts are null. */
    record Scan(
            JsonToken rootToken,
            String eventObject,
            JsonToken idToken,
            String id,
            JsonToken typeToken,
            String type,
            Long created,
            String apiVersion,
            boolean livemode,
            JsonToken dataObjectToken,
            String objectType,
            String objectId) {
    }

    private EnvelopeScanner() {
    }

    static Scan scan(JsonFactory factory, byte[] body) throws IOException {
        try (JsonParser parser = factory.createParser(body)) {
            return scan(parser);
        }
    }

    private static Scan scan(JsonParser p) throws IOException {
        JsonToken root = p.nextToken();
        Builder b = new Builder();
        b.rootToken = root;
        if (root != JsonToken.START_OBJECT) {
            return b.build();
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "object" -> {
                    b.eventObject = value.isScalarValue() ? p.getText() : "";
                    p.skipChildren();
                }
                case "id" -> {
                    b.idToken = value;
                    b.id = value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                case "type" -> {
                    b.typeToken = value;
                    b.type = value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                case "created" -> b.created = value == JsonToken.VALUE_NUMBER_INT
                        && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER ? p.getLongValue() : null;
                case "api_version" -> b.apiVersion = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "livemode" -> b.livemode = value == JsonToken.VALUE_TRUE;
                case "data" -> scanData(p, value, b);
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            // One event per body: anything after it would be stored but never looked at.
            throw new JsonParseException(p, "content after the event object");
        }
        return b.build();
    }

    private static void scanData(JsonParser p, JsonToken data, Builder b) throws IOException {
        if (data != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("object") && value == JsonToken.START_OBJECT) {
                b.dataObjectToken = value;
                scanObjectHead(p, b);
            } else {
                if (field.equals("object")) {
                    b.dataObjectToken = value;
                }
                p.skipChildren();
            }
        }
    }

    /** Reads data.object's own "object" and "id", skipping everything nested. Ends on its END_OBJECT. */
    private static void scanObjectHead(JsonParser p, Builder b) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING && field.equals("object")) {
                b.objectType = p.getText();
            } else if (value == JsonToken.VALUE_STRING && field.equals("id")) {
                b.objectId = p.getText();
            } else {
                p.skipChildren();
            }
        }
    }

    private static final class Builder {
        JsonToken rootToken;
        String eventObject;
        JsonToken idToken;
        String id;
        JsonToken typeToken;
        String type;
        Long created;
        String apiVersion;
        boolean livemode;
        JsonToken dataObjectToken;
        String objectType;
        String objectId;

        Scan build() {
            return new Scan(rootToken, eventObject, idToken, id, typeToken, type, created, apiVersion,
                    livemode, dataObjectToken, objectType, objectId);
        }
    }
}
