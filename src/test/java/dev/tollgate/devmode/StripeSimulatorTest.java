package dev.tollgate.devmode;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.SimulatorProfile;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.WallClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The Stripe simulator through the real API: Checkout, the simulated page's Pay and Decline, 3D Secure, cancel,
 * resume and change, each ending in what the webhook processor stored.
 */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class StripeSimulatorTest {

    @Inject
    Db db;

    private static String checkout(String token, String body) {
        return given().auth().oauth2(token).contentType("application/json").body(body).when()
                .post("/v1/billing/checkout-sessions").then().statusCode(200)
                .body("url", startsWith("http://localhost:")).body("url", containsString("/dev/stripe/checkout/cs_test_"))
                .extract()
                .path("id");
    }

    private static Response act(String session, String action, boolean authentication) {
        var request = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("action", action);
        if (authentication) {
            request = request.formParam("authentication", "on");
        }
        return request.when().post("/dev/stripe/checkout/" + session);
    }

    @Test
    void payingASubscriptionCheckoutActivatesThePlanThroughTheWebhook() {
        String account = "acct-sim-plan";
        String token = TestTokens.user(account);
        String session = checkout(token, "{\"plan\":\"pro\",\"interval\":\"monthly\",\"trial\":false}");
        given().when().get("/dev/stripe/checkout/" + session).then().statusCode(200)
                .body(containsString("Pro plan, billed every month")).body(containsString("Pay 20.00 USD"));

        act(session, "pay", false).then().statusCode(303)
                .header("Location", equalTo(SimulatorProfile.ORIGIN + "/billing/demo?session_id=" + session));

        assertEquals("active", db.value("select s.status from stripe_subscription s join account a"
                + " on a.stripe_customer_id = s.customer_id where a.id = $1", account));
        assertEquals("price_pro_monthly", db.value("select price_id from stripe_subscription where id = $1",
                "sub_acctsimplan"));
        assertEquals("applied", db.value("select status from stripe_event where type = 'checkout.session.completed'"
                + " and object_id = $1", session));
        given().auth().oauth2(token).when().get("/v1/billing/checkout-sessions/" + session).then().statusCode(200)
                .body("status", equalTo("complete")).body("subscription", equalTo("sub_acctsimplan"));
        given().auth().oauth2(token).when().get("/v1/billing/entitlements").then().statusCode(200)
                .body("plan", equalTo("pro")).body("credits", equalTo(1000));

        WallClock.nextSecond();
        given().auth().oauth2(token).contentType("application/json").body("{\"at_period_end\":true}").when()
                .post("/v1/billing/subscription/cancel").then().statusCode(200);
        // The answer is stored at once unless it ties with the checkout's events of the same second; then the
        // mirror re-reads the subscription from the simulator, as it would from Stripe.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> db.count(
                "select count(*) from stripe_event where type = 'customer.subscription.updated'"
                        + " and object_id = 'sub_acctsimplan' and status = 'applied'") >= 2
                && Boolean.TRUE.equals(db.value(
                        "select cancel_at_period_end from stripe_subscription where id = 'sub_acctsimplan'")));
        given().auth().oauth2(token).when().get("/v1/billing/subscription").then().statusCode(200)
                .body("cancel_at_period_end", equalTo(true));

        WallClock.nextSecond();
        given().auth().oauth2(token).contentType("application/json").body("{}").when()
                .post("/v1/billing/subscription/resume").then().statusCode(200)
                .body("cancel_at_period_end", equalTo(false));
        assertEquals(false, db.value("select cancel_at_period_end from stripe_subscription where id = 'sub_acctsimplan'"));

        WallClock.nextSecond();
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"plan\":\"team\",\"interval\":\"monthly\",\"proration\":\"none\"}").when()
                .post("/v1/billing/subscription/change").then().statusCode(200).body("plan", equalTo("team"));
        assertEquals("price_team_monthly", db.value("select price_id from stripe_subscription_item"
                + " where subscription_id = 'sub_acctsimplan'"));
    }

    @Test
    void aDeclinedPackStaysUnpaidAndAPaidOneGrantsItsCredits() {
        String account = "acct-sim-pack";
        String token = TestTokens.user(account);
        String session = checkout(token, "{\"pack\":\"small\",\"quantity\":2}");
        given().when().get("/dev/stripe/checkout/" + session).then().statusCode(200)
                .body(containsString("500 credits × 2")).body(containsString("Pay 10.00 USD"));

        act(session, "decline", false).then().statusCode(200).body(containsString("Your card was declined."));
        assertEquals("requires_payment_method", db.value("select status from stripe_payment_intent"
                + " where customer_id = 'cus_acctsimpack'"));
        assertEquals(0L, db.count("select count(*) from credit_ledger where account_id = $1", account));
        given().auth().oauth2(token).when().get("/v1/billing/checkout-sessions/" + session).then().statusCode(200)
                .body("status", equalTo("open"));

        act(session, "pay", true).then().statusCode(200).body(containsString("Complete authentication"));
        act(session, "fail-authentication", false).then().statusCode(200)
                .body(containsString("The provided payment method has failed authentication."));
        act(session, "authenticate", false).then().statusCode(303);
        assertEquals(1000L, ((Number) db.value("select coalesce(sum(amount), 0) from credit_ledger where account_id = $1",
                account)).longValue());
        given().auth().oauth2(token).when().get("/v1/billing/credits").then().statusCode(200)
                .body("balance", equalTo(1000));
    }

    @Test
    void aPortalSessionOpensTheSimulatedPortal() {
        String token = TestTokens.user("acct-sim-portal");
        String url = given().auth().oauth2(token).contentType("application/json").body("{}").when()
                .post("/v1/billing/portal-sessions").then().statusCode(200).extract().path("url");
        given().when().get(url.replaceFirst("^http://localhost:\\d+", "")).then().statusCode(200)
                .body(containsString("Customer Portal"))
                .body(containsString("href=\"" + SimulatorProfile.ORIGIN + "/billing/demo\""));
    }
}
