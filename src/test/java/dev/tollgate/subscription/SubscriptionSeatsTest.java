package dev.tollgate.subscription;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import dev.tollgate.callbacks.CallbackBody;
import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeListStubs;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * POST /v1/billing/subscription/seats on the test catalog's per-seat Team plan (1 to 50 seats): the item's quantity
 * changes at Stripe, Stripe's answer is stored at once, and entitlements, licenses and callbacks carry the seats.
 */
@QuarkusTest
class SubscriptionSeatsTest {

    @Inject
    Db db;

    @Inject
    CallbackBody callbackBody;

    private final StripeListStubs stubs = new StripeListStubs();
    private String account;
    private String subId;
    private ObjectNode team;

    @BeforeEach
    void teamSubscriptionWithThreeSeats() {
        account = StripeEvents.newId("acct");
        subId = StripeEvents.newId("sub");
        long now = System.currentTimeMillis() / 1000;
        team = StripeObjects.subscription(subId, "cus_" + account, "active", now - 86_400, now + 29 * 86_400);
        ObjectNode item = (ObjectNode) team.path("items").path("data").path(0);
        item.put("quantity", 3);
        ((ObjectNode) item.path("price")).put("id", "price_team_monthly");
        Webhooks.deliverAndAwaitApplied(db, List.of(
                StripeEvents.event("customer.created", StripeObjects.customer("cus_" + account, account), now - 60),
                StripeEvents.event("customer.subscription.created", team.deepCopy(), now - 60)));
    }

    @AfterEach
    void removeStubs() {
        stubs.removeAll();
    }

    @Test
    void theQuantityChangesAtStripeAndIsStoredAtOnce() {
        stubs.answer(post(urlEqualTo("/v1/subscriptions/" + subId)), 200, withSeats(5).toString());

        seats(Map.of("seats", 5, "proration", "always_invoice")).then().statusCode(200)
                .body("plan", Matchers.equalTo("team")).body("quantity", Matchers.equalTo(5))
                .body("seats", Matchers.equalTo(5));

        StripeStub.server().verify(1, update().withRequestBody(equalTo("items%5B0%5D%5Bid%5D=si_" + subId.substring(4)
                + "&items%5B0%5D%5Bquantity%5D=5&proration_behavior=always_invoice"))
                .withHeader("Idempotency-Key", matching("subscription-seats-[0-9a-f-]{36}")));
        assertEquals(5L, db.value("select quantity from stripe_subscription where id = $1", subId));
        assertEquals(5L, db.value("select quantity from stripe_subscription_item where subscription_id = $1", subId));

        // The seat limit a product checks is what the subscription pays for now, not a configured number.
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/entitlements").then().statusCode(200)
                .body("plan", Matchers.equalTo("team")).body("seats", Matchers.equalTo(5))
                .body("limits.seats", Matchers.equalTo(5));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/entitlements/seats").then().statusCode(200)
                .body("allowed", Matchers.equalTo(true)).body("limit", Matchers.equalTo(5));
        String key = given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/licenses").then()
                .statusCode(200).body("[0].plan", Matchers.equalTo("team")).body("[0].seats", Matchers.equalTo(5))
                .extract().path("[0].key");
        given().auth().oauth2(TestTokens.service()).contentType("application/json").body(Map.of("key", key))
                .post("/v1/licenses/validate").then().statusCode(200).body("valid", Matchers.equalTo(true))
                .body("seats", Matchers.equalTo(5));

        // The webhook Stripe sends after the change (created before Tollgate read the answer) changes nothing.
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.updated", withSeats(5),
                System.currentTimeMillis() / 1000 - 1));
        assertEquals(5L, db.value("select quantity from stripe_subscription where id = $1", subId));
    }

    @Test
    void prorationDefaultsToCreateProrationsAndTheSameCountAsksStripeNothing() {
        stubs.answer(post(urlEqualTo("/v1/subscriptions/" + subId)), 200, withSeats(4).toString());

        seats(Map.of("seats", 4)).then().statusCode(200).body("seats", Matchers.equalTo(4));
        StripeStub.server().verify(1, update().withRequestBody(equalTo("items%5B0%5D%5Bid%5D=si_" + subId.substring(4)
                + "&items%5B0%5D%5Bquantity%5D=4&proration_behavior=create_prorations")));

        seats(Map.of("seats", 4)).then().statusCode(200).body("seats", Matchers.equalTo(4));
        StripeStub.server().verify(1, update());
    }

    @Test
    void countsOutsideThePlansBoundsAreRefusedBeforeStripe() {
        seats(Map.of("seats", 0)).then().statusCode(400).contentType("application/problem+json")
                .body("type", containsString("invalid-seats"))
                .body("detail", Matchers.equalTo("seats must be from 1 to 50 for plan \"team\"."));
        seats(Map.of("seats", 51)).then().statusCode(400).contentType("application/problem+json")
                .body("type", containsString("invalid-seats"));
        seats(Map.of()).then().statusCode(400).contentType("application/problem+json")
                .body("detail", Matchers.equalTo("seats is required."));
        seats(Map.of("seats", 5, "proration", "sometimes")).then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("invalid-proration"));
        seats(Map.of("seats", 5, "proration_date", 1)).then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("invalid-proration-date"));
        StripeStub.server().verify(0, update());
    }

    @Test
    void aPlanNotSoldPerSeatHasNoSeatsToChange() {
        String other = StripeEvents.newId("acct");
        String proSub = StripeEvents.newId("sub");
        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db, List.of(
                StripeEvents.event("customer.created", StripeObjects.customer("cus_" + other, other), now - 60),
                StripeEvents.event("customer.subscription.created",
                        StripeObjects.subscription(proSub, "cus_" + other, "active", now, now + 86_400), now - 60)));

        given().auth().oauth2(TestTokens.user(other)).contentType("application/json").body(Map.of("seats", 2))
                .post("/v1/billing/subscription/seats").then().statusCode(400).contentType("application/problem+json")
                .body("type", containsString("plan-not-per-seat"))
                .body("detail", Matchers.equalTo("Plan \"pro\" is not sold per seat: leave seats out."));
        given().auth().oauth2(TestTokens.user(other)).get("/v1/billing/subscription").then()
                .body("seats", Matchers.equalTo(5));
        StripeStub.server().verify(0, postRequestedFor(urlEqualTo("/v1/subscriptions/" + proSub)));
    }

    @Test
    void anotherAccountCannotChangeTheseSeats() {
        String stranger = StripeEvents.newId("acct");
        given().auth().oauth2(TestTokens.user(stranger)).contentType("application/json")
                .body(Map.of("seats", 9, "account", account)).post("/v1/billing/subscription/seats").then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.user(stranger)).contentType("application/json").body(Map.of("seats", 9))
                .post("/v1/billing/subscription/seats").then().statusCode(404)
                .contentType("application/problem+json");
        StripeStub.server().verify(0, update());
        assertEquals(3L, db.value("select quantity from stripe_subscription where id = $1", subId));
    }

    @Test
    void aChangeToAFlatPlanIsNotBilledForTheSeats() {
        ObjectNode pro = withSeats(1);
        ((ObjectNode) pro.path("items").path("data").path(0).path("price")).put("id", "price_pro_monthly");
        stubs.answer(post(urlEqualTo("/v1/subscriptions/" + subId)), 200, pro.toString());

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of("plan", "pro"))
                .post("/v1/billing/subscription/change").then().statusCode(200).body("plan", Matchers.equalTo("pro"))
                .body("seats", Matchers.equalTo(5));
        StripeStub.server().verify(1, update().withRequestBody(containing("items%5B0%5D%5Bprice%5D=price_pro_monthly"
                + "&items%5B0%5D%5Bquantity%5D=1&proration_behavior=create_prorations")));
        assertEquals(1L, db.value("select quantity from stripe_subscription where id = $1", subId));
    }

    @Test
    void theChangedCallbackSaysTheSeatsChangedFromAndTo() {
        JsonNode data = callbackBody.data("subscription.changed", "{\"subscription_id\":\"" + subId
                + "\",\"price_id\":\"price_team_monthly\",\"quantity\":5,"
                + "\"previous_price_id\":\"price_team_monthly\",\"previous_quantity\":3}");
        assertEquals(5, data.path("seats").asInt());
        assertEquals(3, data.path("previous_seats").asInt());
        assertEquals("[\"seats\"]", data.path("changes").toString());

        // From Pro (5 seats by its limit) to Team with 2 seats: plan and seats changed.
        JsonNode upgrade = callbackBody.data("subscription.changed", "{\"price_id\":\"price_team_yearly\","
                + "\"quantity\":2,\"previous_price_id\":\"price_pro_monthly\",\"previous_quantity\":1}");
        assertEquals("[\"plan\",\"interval\",\"seats\"]", upgrade.path("changes").toString());
        assertEquals(5, upgrade.path("previous_seats").asInt());
    }

    private ObjectNode withSeats(long quantity) {
        ObjectNode changed = team.deepCopy();
        ((ObjectNode) changed.path("items").path("data").path(0)).put("quantity", quantity);
        return changed;
    }

    private RequestPatternBuilder update() {
        return postRequestedFor(urlEqualTo("/v1/subscriptions/" + subId));
    }

    private Response seats(Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(body)
                .post("/v1/billing/subscription/seats");
    }
}
