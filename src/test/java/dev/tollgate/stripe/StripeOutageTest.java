package dev.tollgate.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.Fault;

import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/**
 * Stripe timing out, resetting connections and answering 5xx: each request gets a retryable 502, and
 * once most recent calls failed the circuit breaker answers 503 at once without calling Stripe, until a
 * trial call after the delay succeeds. Client errors (404, 400) never count as an outage.
 */
@QuarkusTest
@TestProfile(StripeOutageTest.SmallBreaker.class)
class StripeOutageTest {

    public static class SmallBreaker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tollgate.stripe.circuit-breaker.request-volume", "4",
                    "tollgate.stripe.circuit-breaker.failure-ratio", "0.5",
                    "tollgate.stripe.circuit-breaker.delay", "1s",
                    "tollgate.stripe.read-timeout", "1500ms");
        }
    }

    // One narrative: the breaker's rolling window carries over from step to step.
    @Test
    void outagesOpenTheBreakerAndClientErrorsDoNot() throws Exception {
        String account = StripeEvents.newId("acct");

        // Client errors: four 404s from Stripe fill the window without opening the breaker.
        for (int i = 0; i < 4; i++) {
            String missing = "cs_missing_" + i;
            stub(missing, aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such checkout.session\"}}"));
            confirm(account, missing).statusCode(404);
        }

        // A read timeout and a reset connection: 502 with Retry-After, and now half the window failed.
        stub("cs_slow", aResponse().withFixedDelay(4_000).withStatus(200).withBody("{}"));
        confirm(account, "cs_slow").statusCode(502).body("type", containsString("stripe-unavailable"))
                .header("Retry-After", equalTo("5"));
        stub("cs_reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        confirm(account, "cs_reset").statusCode(502);

        // Open: answered 503 at once, and Stripe is not called.
        String healthy = "cs_healthy_" + account;
        stub(healthy, aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(StripeFixtures.object("checkout.session").put("id", healthy)
                        .put("client_reference_id", "someone-else").toString()));
        confirm(account, healthy).statusCode(503).contentType("application/problem+json")
                .body("type", containsString("stripe-circuit-open")).header("Retry-After", equalTo("1"));
        assertEquals(0, StripeStub.server().findAll(getRequestedFor(urlEqualTo("/v1/checkout/sessions/" + healthy)))
                .size());

        // After the delay a trial call goes through; it succeeds, so the breaker closes again.
        Thread.sleep(1_200);
        confirm(account, healthy).statusCode(404);
        confirm(account, healthy).statusCode(404);
        assertEquals(2, StripeStub.server().findAll(getRequestedFor(urlEqualTo("/v1/checkout/sessions/" + healthy)))
                .size());
    }

    private static ValidatableResponse confirm(String account, String session) {
        return given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/checkout-sessions/" + session).then();
    }

    private static void stub(String session,
            com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        StripeStub.server().stubFor(get(urlEqualTo("/v1/checkout/sessions/" + session)).willReturn(response));
    }
}
