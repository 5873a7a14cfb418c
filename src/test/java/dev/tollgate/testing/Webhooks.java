package dev.tollgate.testing;

import static io.restassured.RestAssured.given;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.response.Response;

/** Posts signed events to the running service, the way Stripe does. */
public final class Webhooks {

    public static final String SECRET = "whsec_test_primary";
    public static final String ROTATED_SECRET = "whsec_test_rotated";

    private Webhooks() {
    }

    public static Response deliver(JsonNode event) {
        String payload = event.toString();
        return deliverRaw(payload, StripeEvents.sign(payload, SECRET));
    }

    /**
     * Delivers the signed event, expects the acknowledgement (200) and waits until the processor has
     * applied it: the event must end 'applied' in stripe_event, not merely leave 'pending'.
     */
    public static void deliverAndAwaitApplied(Db db, JsonNode event) {
        deliver(event).then().statusCode(200);
        Inbox.awaitApplied(db, event.path("id").asText());
    }

    /** {@link #deliverAndAwaitApplied(Db, JsonNode)} for an event of {@code type} about {@code object}, created now. */
    public static ObjectNode deliverAndAwaitApplied(Db db, String type, ObjectNode object) {
        ObjectNode event = StripeEvents.event(type, object, System.currentTimeMillis() / 1000);
        deliverAndAwaitApplied(db, event);
        return event;
    }

    /** Each event in turn, the next only once the one before it is applied. */
    public static void deliverAndAwaitApplied(Db db, List<? extends JsonNode> events) {
        events.forEach(event -> deliverAndAwaitApplied(db, event));
    }

    /** A body of raw bytes, which need not be valid UTF-8. */
    public static Response deliverBytes(byte[] payload) {
        return given().contentType("application/json; charset=utf-8").body(payload)
                .header("Stripe-Signature", StripeEvents.sign(payload, SECRET)).when().post("/v1/webhooks/stripe");
    }

    public static Response deliverRaw(String payload, String signature) {
        var request = given().contentType("application/json; charset=utf-8").body(payload);
        if (signature != null) {
            request = request.header("Stripe-Signature", signature);
        }
        return request.when().post("/v1/webhooks/stripe");
    }
}
