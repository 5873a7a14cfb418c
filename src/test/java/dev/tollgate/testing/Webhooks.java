package dev.tollgate.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;

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
