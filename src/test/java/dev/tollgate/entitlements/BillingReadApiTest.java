package dev.tollgate.entitlements;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.util.Base64;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

/** Catalog, subscription and entitlements as the product reads them, from the state webhooks built. */
@QuarkusTest
class BillingReadApiTest {

    private static final long DAY = 86_400;

    @Inject
    Db db;

    @Test
    void catalogIsPublic() {
        given().get("/v1/billing/plans").then().statusCode(200)
                .body("plans.id", hasItem("pro"))
                .body("plans.find { it.id == 'pro' }.prices.interval", hasItem("yearly"))
                .body("plans.find { it.id == 'pro' }.features.api-access", equalTo(true))
                .body("packs.find { it.id == 'small' }.credits", equalTo(500))
                // The test catalog: small packs last 365 days, large ones forever; team's period credits lapse.
                .body("packs.find { it.id == 'small' }.expires_after_days", equalTo(365))
                .body("packs.find { it.id == 'large' }.expires_after_days", org.hamcrest.Matchers.nullValue())
                .body("plans.find { it.id == 'team' }.period_credits_expire", equalTo(true))
                .body("plans.find { it.id == 'pro' }.period_credits_expire", equalTo(false));
        given().get("/v1/billing/config").then().statusCode(200).body("currency", equalTo("usd"))
                .body("payments_enabled", equalTo(true));
    }

    @Test
    void accountWithoutSubscriptionIsOnTheDefaultPlan() {
        String account = StripeEvents.newId("acct");
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/subscription").then().statusCode(200)
                .body("plan", equalTo("free")).body("status", equalTo("none")).body("id", nullValue());
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/entitlements").then().statusCode(200)
                .body("plan", equalTo("free")).body("features.api-access", equalTo(false))
                .body("limits.seats", equalTo(1)).body("credits", equalTo(0));
    }

    @Test
    void activeSubscriptionFromWebhooksGrantsItsPlan() {
        String account = subscribed("active", now() - DAY, now() + 29 * DAY);

        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/subscription").then().statusCode(200)
                .body("plan", equalTo("pro")).body("interval", equalTo("monthly")).body("status", equalTo("active"))
                .body("days_remaining", equalTo(28)).body("cancel_at_period_end", equalTo(false));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/entitlements").then().statusCode(200)
                .body("plan", equalTo("pro")).body("features.api-access", equalTo(true))
                .body("limits.seats", equalTo(5));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/entitlements/api-access").then()
                .statusCode(200).body("allowed", equalTo(true)).body("limit", nullValue());
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/entitlements/projects").then()
                .statusCode(200).body("allowed", equalTo(true)).body("limit", equalTo(50));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/entitlements/teleport").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void pastDueKeepsThePlanForTheGracePeriodOnly() {
        String recent = subscribed("past_due", now() - 2 * DAY, now() + 28 * DAY);
        String old = subscribed("past_due", now() - 10 * DAY, now() + 20 * DAY);

        given().auth().oauth2(TestTokens.user(recent)).get("/v1/billing/entitlements").then().statusCode(200)
                .body("plan", equalTo("pro")).body("subscription_status", equalTo("past_due"));
        given().auth().oauth2(TestTokens.user(old)).get("/v1/billing/entitlements").then().statusCode(200)
                .body("plan", equalTo("free")).body("subscription_status", equalTo("past_due"));
    }

    @Test
    void usersSeeOnlyTheirOwnAccountAndServicesNameOne() {
        String account = subscribed("active", now() - DAY, now() + 29 * DAY);
        String other = StripeEvents.newId("acct");

        given().auth().oauth2(TestTokens.user(other)).get("/v1/billing/entitlements?account=" + account).then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.user(other)).get("/v1/billing/subscription?account=" + account).then()
                .statusCode(403);
        given().auth().oauth2(TestTokens.service()).get("/v1/billing/entitlements?account=" + account).then()
                .statusCode(200).body("plan", equalTo("pro"));
        given().auth().oauth2(TestTokens.service()).get("/v1/billing/entitlements").then().statusCode(400)
                .body("detail", equalTo("A service token must name the account to act on."));
    }

    @Test
    void missingExpiredUnsignedAndForeignTokensAreRefused() {
        given().get("/v1/billing/entitlements").then().statusCode(401).contentType("application/problem+json");
        String expired = Jwt.subject("acct-x").issuedAt(now() - 7200).expiresAt(now() - 3600).sign();
        given().auth().oauth2(expired).get("/v1/billing/entitlements").then().statusCode(401);
        String wrongIssuer = Jwt.issuer("https://evil.example").subject("acct-x").sign();
        given().auth().oauth2(wrongIssuer).get("/v1/billing/entitlements").then().statusCode(401);
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String claims = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("{\"sub\":\"acct-x\",\"iss\":\"https://tollgate.test\",\"exp\":" + (now() + 600) + "}")
                        .getBytes());
        given().auth().oauth2(header + "." + claims + ".").get("/v1/billing/entitlements").then().statusCode(401);
    }

    /** A new account whose customer and pro-monthly subscription arrived by webhook. */
    private String subscribed(String status, long periodStart, long periodEnd) {
        String account = StripeEvents.newId("acct");
        String customer = StripeEvents.newId("cus");
        ObjectNode customerEvent = StripeEvents.event("customer.created", StripeObjects.customer(customer, account),
                now());
        ObjectNode subEvent = StripeEvents.event("customer.subscription.updated",
                StripeObjects.subscription(StripeEvents.newId("sub"), customer, status, periodStart, periodEnd), now());
        for (ObjectNode event : new ObjectNode[] { customerEvent, subEvent }) {
            Webhooks.deliverAndAwaitApplied(db, event);
        }
        return account;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
