package dev.tollgate.usage;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.MeteredAccounts;
import dev.tollgate.testing.MeteredPlanProfile;
import dev.tollgate.testing.MeteredPlanV1Profile;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * tollgate.usage.sender.api=meter-events: each record is one v1 meter event with the exact form parameters,
 * exactly once even when Stripe fails first, and nothing goes to the v2 stream.
 */
@QuarkusTest
@TestProfile(MeteredPlanV1Profile.class)
class SingleMeterEventsTest {

    @Inject
    Db db;

    private MeteredAccounts.MeteredAccount metered;
    private StubMapping meterEvents;

    @BeforeEach
    void meteredSubscription() {
        metered = MeteredAccounts.subscribe(db);
        meterEvents = stubMeterEvents(null, 200, STARTED, null);
    }

    @AfterEach
    void removeStub() {
        StripeStub.server().removeStub(meterEvents);
    }

    @Test
    void aRecordIsSentAsAMeterEventWithTheExactParameters() {
        long at = System.currentTimeMillis() / 1000 - 120;
        String id = record(42, "exact-1", at);
        awaitStatus(id, "sent");

        List<LoggedRequest> sent = sentWith(id);
        assertEquals(1, sent.size());
        assertEquals(Map.of("event_name", MeteredPlanProfile.EVENT_NAME, "payload[stripe_customer_id]",
                metered.customer(), "payload[value]", "42", "identifier", id, "timestamp", String.valueOf(at)),
                UsageForms.decode(sent.get(0)));
        assertEquals("tollgate-usage-" + id, sent.get(0).getHeader("Idempotency-Key"));
        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlPathMatching("/v2/billing/.*"))).size());
    }

    @Test
    void stripeFailingFirstDelaysDeliveryAndEachRecordIsSentOnceWithTheSameIdentifier() {
        StubMapping failing = stubMeterEvents(metered.customer(), 500, STARTED, "recovered");
        StubMapping recovered = stubMeterEvents(metered.customer(), 200, "recovered", null);
        try {
            String id = record(5, "down-1", null);
            awaitStatus(id, "sent");

            List<LoggedRequest> attempts = sentWith(id);
            assertEquals(2, attempts.size(), "one 500, then one accepted send");
            assertEquals(attempts.get(0).getBodyAsString(), attempts.get(1).getBodyAsString(), "the same event");
            assertEquals(attempts.get(0).getHeader("Idempotency-Key"), attempts.get(1).getHeader("Idempotency-Key"));
            assertEquals(2, db.value("select attempts from usage_record where identifier = $1", id));
        } finally {
            StripeStub.server().removeStub(failing);
            StripeStub.server().removeStub(recovered);
        }
    }

    private String record(long value, String key, Long timestamp) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("meter", "api-calls", "value", value,
                "idempotency_key", key));
        if (timestamp != null) {
            body.put("timestamp", timestamp);
        }
        return given().auth().oauth2(TestTokens.user(metered.account())).contentType("application/json").body(body)
                .post("/v1/billing/usage").then().statusCode(201).extract().path("id");
    }

    private void awaitStatus(String identifier, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> status.equals(
                db.value("select status from usage_record where identifier = $1", identifier)));
    }

    private static List<LoggedRequest> sentWith(String identifier) {
        return StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/billing/meter_events"))
                .withRequestBody(containing("identifier=" + identifier)));
    }

    /** Stripe's meter event answer; {@code customer} null: any customer. */
    private static StubMapping stubMeterEvents(String customer, int status, String state, String next) {
        com.github.tomakehurst.wiremock.client.MappingBuilder request = post(urlEqualTo("/v1/billing/meter_events"));
        if (customer != null) {
            var scenario = post(urlEqualTo("/v1/billing/meter_events"))
                    .withRequestBody(containing("payload%5Bstripe_customer_id%5D=" + customer))
                    .inScenario("meter-events-" + customer).whenScenarioStateIs(state);
            request = (next == null ? scenario : scenario.willSetStateTo(next)).atPriority(1);
        } else {
            request = request.atPriority(5);
        }
        String body = status == 200 ? StripeFixtures.object("billing.meter_event").toString()
                : "{\"error\":{\"type\":\"api_error\",\"message\":\"Stripe is having a bad day\"}}";
        return StripeStub.server().stubFor(request.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }
}
