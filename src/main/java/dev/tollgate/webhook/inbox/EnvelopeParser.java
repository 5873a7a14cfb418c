package dev.tollgate.webhook.inbox;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the event envelope with Jackson into Tollgate's own record. It deliberately avoids
 * stripe-java's deserializer, which refuses events whose API version differs from the one it pins,
 * and it streams: the body is checked to be well-formed JSON, but no tree of it is built.
 */
@ApplicationScoped
public class EnvelopeParser {

    private final JsonFactory factory;

    public EnvelopeParser(ObjectMapper mapper) {
        this.factory = mapper.getFactory();
    }

    public EventEnvelope parse(byte[] body) {
        EnvelopeScanner.Scan scan;
        try {
            scan = EnvelopeScanner.scan(factory, body);
        } catch (IOException e) {
            throw invalid("the body is not valid JSON");
        }
        if (scan.rootToken() != JsonToken.START_OBJECT) {
            throw invalid("the body is not a JSON object");
        }
        if (scan.eventObject() != null && !"event".equals(scan.eventObject())) {
            throw invalid("its \"object\" is \"" + scan.eventObject() + "\", not \"event\"");
        }
        String id = requiredText("id", scan.idToken(), scan.id());
        String type = requiredText("type", scan.typeToken(), scan.type());
        if (scan.created() == null) {
            throw invalid("\"created\" is missing or not an integer");
        }
        if (scan.dataObjectToken() != JsonToken.START_OBJECT) {
            throw invalid("\"data.object\" is missing or not an object");
        }
        return new EventEnvelope(id, type, scan.created(), scan.apiVersion(), scan.livemode(), scan.objectType(),
                scan.objectId(), body);
    }

    private static String requiredText(String field, JsonToken token, String value) {
        if (token != JsonToken.VALUE_STRING || value.isBlank()) {
            throw invalid("\"" + field + "\" is missing or not a string");
        }
        if (value.length() > 255) {
            throw invalid("\"" + field + "\" is longer than 255 characters");
        }
        return value;
    }

    private static MalformedEventException invalid(String why) {
        return new MalformedEventException("The body is not a Stripe event: " + why + ".");
    }
}
