package dev.tollgate.checkout;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeListStubs;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Seats on subscription Checkouts. The test catalog's Team plan is per seat, 1 to 50, adjustable on Checkout's
 * page; Pro is not per seat.
 */
@QuarkusTest
class CheckoutSeatsTest {

    private static final String QUANTITY = "line_items%5B0%5D%5Bquantity%5D=";
    private static final String ADJUSTABLE = "line_items%5B0%5D%5Badjustable_quantity%5D%5B";

    private final StripeListStubs stubs = new StripeListStubs();
    private String account;

    @BeforeEach
    void stubCheckout() {
        account = StripeEvents.newId("acct");
        stubs.answer(post(urlEqualTo("/v1/customers")).withRequestBody(containing("account_id%5D=" + account)), 200,
                StripeFixtures.object("customer").put("id", "cus_" + account).toString());
        stubs.answer(post(urlEqualTo("/v1/checkout/sessions")).withRequestBody(containing("client_reference_id=" + account)),
                200, StripeFixtures.object("checkout.session").put("id", "cs_test_" + account).toString());
    }

    @AfterEach
    void removeStubs() {
        stubs.removeAll();
    }

    @Test
    void theSeatsAskedForAreTheLineItemsQuantityAdjustableWithinThePlansBounds() {
        checkout(Map.of("plan", "team", "interval", "monthly", "seats", 7)).then().statusCode(200);
        StripeStub.server().verify(sessionFor(account)
                .withRequestBody(containing("line_items%5B0%5D%5Bprice%5D=price_team_monthly&" + QUANTITY + "7&"))
                .withRequestBody(containing(ADJUSTABLE + "enabled%5D=true&" + ADJUSTABLE + "minimum%5D=1&"
                        + ADJUSTABLE + "maximum%5D=50")));
    }

    @Test
    void withoutSeatsCheckoutBuysTheMinimum() {
        checkout(Map.of("plan", "team", "interval", "monthly")).then().statusCode(200);
        StripeStub.server().verify(sessionFor(account).withRequestBody(containing(QUANTITY + "1&")));
    }

    @Test
    void aFlatPlanHasOneUnitAndNoAdjustableQuantity() {
        checkout(Map.of("plan", "pro", "interval", "monthly")).then().statusCode(200);
        StripeStub.server().verify(sessionFor(account).withRequestBody(containing(QUANTITY + "1&"))
                .withRequestBody(notContaining("adjustable_quantity")));
    }

    @Test
    void seatsOutOfBoundsOrWhereNoneAreSoldAreRefusedBeforeStripe() {
        checkout(Map.of("plan", "team", "interval", "monthly", "seats", 51)).then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("invalid-seats"))
                .body("detail", equalTo("seats must be from 1 to 50 for plan \"team\"."));
        checkout(Map.of("plan", "team", "interval", "monthly", "seats", 0)).then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("invalid-seats"));
        checkout(Map.of("plan", "pro", "interval", "monthly", "seats", 2)).then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("plan-not-per-seat"));
        checkout(Map.of("pack", "small", "quantity", 1, "seats", 2)).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("seats is for per-seat plans"));
        assertEquals(0, StripeStub.server().findAll(sessionFor(account)).size());
        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/customers"))
                .withRequestBody(containing("account_id%5D=" + account))).size());
    }

    @Test
    void plansShowTheirSeatTerms() {
        given().get("/v1/billing/plans").then().statusCode(200)
                .body("plans.find { it.id == 'team' }.per_seat.min", equalTo(1))
                .body("plans.find { it.id == 'team' }.per_seat.max", equalTo(50))
                .body("plans.find { it.id == 'team' }.per_seat.adjustable", equalTo(true))
                .body("plans.find { it.id == 'pro' }", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("per_seat")));
    }

    private static RequestPatternBuilder sessionFor(String account) {
        return postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + account));
    }

    private Response checkout(Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(body)
                .post("/v1/billing/checkout-sessions");
    }
}
