package dev.tollgate.devmode;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.MeteredAccounts;
import dev.tollgate.testing.MeteredPlanProfile;
import dev.tollgate.testing.SimulatorProfile;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** In dev mode without a Stripe key, usage is delivered to the simulator's meter event stream, once per record. */
@QuarkusTest
@TestProfile(SimulatedMeterEventsTest.SimulatedMeteredPlan.class)
class SimulatedMeterEventsTest {

    /** The simulator, with the metered plan. */
    public static class SimulatedMeteredPlan implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new SimulatorProfile().getConfigOverrides());
            config.putAll(new MeteredPlanProfile().getConfigOverrides());
            return config;
        }
    }

    @Inject
    Db db;

    @Inject
    SimulatedMeterEvents meterEvents;

    @Test
    void recordedUsageIsDeliveredToTheSimulatorAndCountedOnce() {
        MeteredAccounts.MeteredAccount metered = MeteredAccounts.subscribe(db);
        record(metered.account(), "sim-1").then().statusCode(201);
        record(metered.account(), "sim-2").then().statusCode(201);
        record(metered.account(), "sim-1").then().statusCode(200).body("repeated", equalTo(true));
        await().atMost(Duration.ofSeconds(15)).until(() -> db.count("select count(*) from usage_record where"
                + " account_id = $1 and status = 'sent'", metered.account()) == 2);
        assertEquals(14, meterEvents.total(metered.customer(), MeteredPlanProfile.EVENT_NAME));
    }

    @Test
    void theStreamRefusesATokenItDidNotIssueAsStripeDoes() {
        given().header("Authorization", "Bearer mes_not_issued").contentType("application/json")
                .body("{\"events\":[]}").post(StripeSimulatorResource.API + "/v2/billing/meter_event_stream").then()
                .statusCode(401).body("error.type", equalTo("temporary_session_expired"));
        String token = given().post(StripeSimulatorResource.API + "/v2/billing/meter_event_session").then()
                .statusCode(200).body("object", equalTo("v2.billing.meter_event_session")).extract()
                .path("authentication_token");
        given().header("Authorization", "Bearer " + token).contentType("application/json").body("not json")
                .post(StripeSimulatorResource.API + "/v2/billing/meter_event_stream").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
    }

    private static io.restassured.response.Response record(String account, String key) {
        return given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("meter", "api-calls", "value", 7, "idempotency_key", key)).post("/v1/billing/usage");
    }
}
