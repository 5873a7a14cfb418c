package dev.tollgate.subscription;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** Cancel, resume and change call Stripe and store its answer at once; the webhook after is a no-op. */
@QuarkusTest
class SubscriptionManagementTest {

    @Inject
    Db db;

    private String account;
    private String subId;
    private ObjectNode active;

    @BeforeEach
    void activeSubscription() {
        account = StripeEvents.newId("acct");
        subId = StripeEvents.newId("sub");
        long now = System.currentTimeMillis() / 1000;
        active = StripeObjects.subscription(subId, "cus_" + account, "active", now - 86_400, now + 29 * 86_400);
        for (ObjectNode event : List.of(
                StripeEvents.event("customer.created", StripeObjects.customer("cus_" + account, account), now - 60),
                StripeEvents.event("customer.subscription.created", active.deepCopy(), now - 60))) {
            Webhooks.deliverAndAwaitApplied(db, event);
        }
    }

    @Test
    void cancelAtPeriodEndIsShownAtOnce() {
        ObjectNode canceling = active.deepCopy().put("cancel_at_period_end", true);
        stub(post(urlEqualTo("/v1/subscriptions/" + subId)).withRequestBody(containing("cancel_at_period_end=true")),
                canceling);

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of())
                .post("/v1/billing/subscription/cancel").then().statusCode(200)
                .body("cancel_at_period_end", equalTo(true)).body("status", equalTo("active"));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/entitlements").then()
                .body("plan", equalTo("pro"));
    }

    @Test
    void immediateCancelEndsTheSubscriptionAndItsPlan() {
        long now = System.currentTimeMillis() / 1000;
        stub(delete(urlEqualTo("/v1/subscriptions/" + subId)),
                active.deepCopy().put("status", "canceled").put("canceled_at", now).put("ended_at", now));

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("at_period_end", false)).post("/v1/billing/subscription/cancel").then().statusCode(200)
                .body("status", equalTo("canceled"));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/entitlements").then()
                .body("plan", equalTo("free"));
    }

    @Test
    void resumeUndoesAScheduledCancellation() {
        stub(post(urlEqualTo("/v1/subscriptions/" + subId)).withRequestBody(containing("cancel_at_period_end=true")),
                active.deepCopy().put("cancel_at_period_end", true));
        stub(post(urlEqualTo("/v1/subscriptions/" + subId)).withRequestBody(containing("cancel_at_period_end=false")),
                active.deepCopy());
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .post("/v1/billing/subscription/resume").then().statusCode(409);

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of())
                .post("/v1/billing/subscription/cancel").then().statusCode(200);
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of())
                .post("/v1/billing/subscription/resume").then().statusCode(200)
                .body("cancel_at_period_end", equalTo(false));
    }

    @Test
    void changeSwapsThePriceOfTheItemWithTheChosenProration() {
        ObjectNode changed = active.deepCopy();
        ((ObjectNode) changed.path("items").path("data").path(0).path("price")).put("id", "price_team_yearly");
        stub(post(urlEqualTo("/v1/subscriptions/" + subId)).withRequestBody(containing("price_team_yearly")), changed);

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("plan", "team", "interval", "yearly", "proration", "always_invoice"))
                .post("/v1/billing/subscription/change").then().statusCode(200)
                .body("plan", equalTo("team")).body("interval", equalTo("yearly"));
        StripeStub.server().verify(postRequestedFor(urlEqualTo("/v1/subscriptions/" + subId))
                .withRequestBody(containing("items%5B0%5D%5Bid%5D=si_" + subId.substring(4)))
                .withRequestBody(containing("proration_behavior=always_invoice")));
        assertEquals("price_team_yearly", db.value("select price_id from stripe_subscription where id = $1", subId));

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("plan", "team", "proration", "sometimes")).post("/v1/billing/subscription/change").then()
                .statusCode(400);
    }

    @Test
    void withoutASubscriptionThereIsNothingToManage() {
        given().auth().oauth2(TestTokens.user(StripeEvents.newId("acct"))).contentType("application/json")
                .body(Map.of()).post("/v1/billing/subscription/cancel").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static void stub(MappingBuilder request, ObjectNode answer) {
        StripeStub.server().stubFor(request.willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(answer.toString())));
    }
}
