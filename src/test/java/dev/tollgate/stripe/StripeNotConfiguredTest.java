package dev.tollgate.stripe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.NoStripeKey;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;

/**
 * Without STRIPE_SECRET_KEY (and, for checkout, with dev mode's placeholder price), every endpoint that calls
 * Stripe answers 503 naming the variables to set, and the plans list names the missing price variable.
 */
@QuarkusTest
@TestProfile(NoStripeKey.class)
class StripeNotConfiguredTest {

    private static RequestSpecification user() {
        return given().auth().oauth2(TestTokens.user("acct-nostripe")).contentType("application/json");
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(TestTokens.admin()).contentType("application/json");
    }

    private static void namesOnlyTheKey(io.restassured.response.Response response) {
        response.then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("https://tollgate.dev/problems/stripe-not-configured"))
                .body("detail", containsString("set STRIPE_SECRET_KEY"))
                .body("missing_settings", contains("STRIPE_SECRET_KEY"));
    }

    @Test
    void checkoutOfAPlanNamesTheKeyAndThePriceVariable() {
        user().body("{\"plan\":\"pro\",\"interval\":\"monthly\"}").when().post("/v1/billing/checkout-sessions").then()
                .statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("set STRIPE_SECRET_KEY and STRIPE_PRICE_PRO_MONTHLY"))
                .body("missing_settings", contains("STRIPE_SECRET_KEY", "STRIPE_PRICE_PRO_MONTHLY"));
    }

    @Test
    void checkoutOfAPackNamesTheKey() {
        namesOnlyTheKey(user().body("{\"pack\":\"small\",\"quantity\":1}").when().post("/v1/billing/checkout-sessions"));
    }

    @Test
    void aPlanThatIsNotSoldIsStillABadRequest() {
        user().body("{\"plan\":\"free\",\"interval\":\"monthly\"}").when().post("/v1/billing/checkout-sessions").then()
                .statusCode(400).body("detail", equalTo("Plan \"free\" is not sold monthly."));
    }

    @Test
    void everyOtherStripeBackedBillingEndpointNamesTheKey() {
        namesOnlyTheKey(user().when().get("/v1/billing/checkout-sessions/cs_test_1"));
        namesOnlyTheKey(user().body("{\"amount\":1000,\"currency\":\"usd\"}").when().post("/v1/billing/payment-intents"));
        namesOnlyTheKey(user().body("{}").when().post("/v1/billing/portal-sessions"));
        namesOnlyTheKey(user().body("{}").when().post("/v1/billing/subscription/cancel"));
        namesOnlyTheKey(user().body("{}").when().post("/v1/billing/subscription/resume"));
        namesOnlyTheKey(user().body("{\"plan\":\"team\",\"interval\":\"monthly\"}").when()
                .post("/v1/billing/subscription/change"));
    }

    @Test
    void everyStripeBackedAdminEndpointNamesTheKey() {
        namesOnlyTheKey(admin().queryParam("dry_run", "true").when().post("/v1/admin/catalog/sync"));
        namesOnlyTheKey(admin().body("{\"url\":\"https://billing.example.com/v1/webhooks/stripe\"}").when()
                .post("/v1/admin/webhook-endpoint"));
        namesOnlyTheKey(admin().when().post("/v1/admin/reconciliation/catch-up"));
        namesOnlyTheKey(admin().when().post("/v1/admin/reconciliation/backfill"));
        namesOnlyTheKey(admin().when().post("/v1/admin/reconciliation/drift"));
    }

    @Test
    void thePlansListNamesTheMissingPriceVariable() {
        given().when().get("/v1/billing/plans").then().statusCode(200)
                .body("plans.find { it.id == 'pro' }.missing_settings", hasItem("STRIPE_PRICE_PRO_MONTHLY"))
                .body("plans.find { it.id == 'team' }.missing_settings", org.hamcrest.Matchers.nullValue())
                .body("plans.find { it.id == 'free' }.missing_settings", org.hamcrest.Matchers.nullValue());
        given().when().get("/v1/billing/config").then().statusCode(200).body("payments_enabled", equalTo(false));
    }
}
