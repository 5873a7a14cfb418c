package dev.tollgate.checkout;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeListStubs;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Trials on subscription Checkouts: the plan's default, a length asked for within the plan's maximum,
 * trials without a card, and one trial per account. The test catalog: Pro has 14 days (up to 30), Team
 * none by default (up to 14, without a card, paused at the end).
 */
@QuarkusTest
class TrialsTest {

    private static final String TRIAL_DAYS = "subscription_data%5Btrial_period_days%5D=";
    private static final String IF_REQUIRED = "payment_method_collection=if_required";
    private static final String END_BEHAVIOUR = "subscription_data%5Btrial_settings%5D%5Bend_behavior%5D%5Bmissing_payment_method%5D=";

    @Inject
    Db db;

    private final StripeListStubs stubs = new StripeListStubs();
    private String account;

    @BeforeEach
    void stubCheckout() {
        account = StripeEvents.newId("acct");
        stubs.answer(post(urlEqualTo("/v1/customers")).withRequestBody(containing("account_id%5D=" + account)), 200,
                StripeFixtures.object("customer").put("id", "cus_" + account).toString());
        stubs.answer(post(urlEqualTo("/v1/checkout/sessions")).withRequestBody(containing("client_reference_id=" + account)),
                200,
                StripeFixtures.object("checkout.session").put("id", "cs_test_" + account).toString());
    }

    @AfterEach
    void removeStubs() {
        stubs.removeAll();
    }

    @Test
    void thePlansDefaultTrialNeedsACard() {
        checkout(Map.of("plan", "pro", "interval", "monthly")).then().statusCode(200)
                .body("trial_days", equalTo(14)).body("trial_note", nullValue());
        StripeStub.server().verify(sessionFor(account).withRequestBody(containing(TRIAL_DAYS + "14"))
                .withRequestBody(notContaining("payment_method_collection"))
                .withRequestBody(notContaining("trial_settings")));
    }

    @Test
    void aRequestMayAskForALengthWithinThePlansMaximum() {
        checkout(Map.of("plan", "pro", "interval", "monthly", "trial_days", 30)).then().statusCode(200)
                .body("trial_days", equalTo(30));
        StripeStub.server().verify(sessionFor(account).withRequestBody(containing(TRIAL_DAYS + "30")));

        checkout(Map.of("plan", "pro", "interval", "monthly", "trial_days", 31)).then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("invalid-trial-days"))
                .body("detail", equalTo("trial_days must be from 1 to 30 for plan \"pro\"."));
        checkout(Map.of("plan", "pro", "interval", "monthly", "trial_days", 0)).then().statusCode(400);
        checkout(Map.of("plan", "pro", "interval", "monthly", "trial", false, "trial_days", 5)).then()
                .statusCode(400).body("detail", containsString("not both"));
        checkout(Map.of("plan", "free", "interval", "monthly", "trial_days", 5)).then().statusCode(400);
        assertEquals(1, sessions(account), "only the valid request reached Stripe");
    }

    @Test
    void aTrialWithoutACardEndsAsThePlanSays() {
        checkout(Map.of("plan", "team", "interval", "monthly", "trial_days", 10)).then().statusCode(200)
                .body("trial_days", equalTo(10));
        StripeStub.server().verify(sessionFor(account).withRequestBody(containing(TRIAL_DAYS + "10"))
                .withRequestBody(containing(IF_REQUIRED))
                .withRequestBody(containing(END_BEHAVIOUR + "pause")));
    }

    @Test
    void declinedOrNotOfferedMeansNoTrialParameters() {
        checkout(Map.of("plan", "pro", "interval", "monthly", "trial", false)).then().statusCode(200)
                .body("trial_days", equalTo(0));
        StripeStub.server().verify(sessionFor(account).withRequestBody(notContaining("trial_period_days")));
    }

    @Test
    void anAccountThatHasHadATrialGetsNoneAgain() {
        String customer = "cus_" + account;
        long now = System.currentTimeMillis() / 1000;
        ObjectNode ended = StripeObjects.subscription(StripeEvents.newId("sub"), customer, "canceled", now - 90 * 86_400L,
                now - 60 * 86_400L);
        ended.put("trial_start", now - 90 * 86_400L).put("trial_end", now - 76 * 86_400L);
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.deleted", ended, now));

        // Offered by default: left out, and the answer says why.
        checkout(Map.of("plan", "pro", "interval", "monthly")).then().statusCode(200)
                .body("trial_days", equalTo(0))
                .body("trial_note", containsString("already had a trial"));
        StripeStub.server().verify(sessionFor(account).withRequestBody(notContaining("trial_period_days")));

        // Asked for: refused, before Stripe is called.
        checkout(Map.of("plan", "pro", "interval", "monthly", "trial_days", 7)).then().statusCode(409)
                .contentType("application/problem+json").body("type", containsString("trial-already-used"))
                .body("detail", containsString("trial: false"));
        assertEquals(1, sessions(account));
    }

    private static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder sessionFor(String account) {
        return postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + account));
    }

    private static int sessions(String account) {
        return StripeStub.server().findAll(sessionFor(account)).size();
    }

    private Response checkout(Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(body)
                .post("/v1/billing/checkout-sessions");
    }
}
