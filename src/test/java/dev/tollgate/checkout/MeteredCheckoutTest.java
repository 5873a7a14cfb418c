package dev.tollgate.checkout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.tollgate.testing.MeteredPlanProfile;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.usage.UsageForms;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A metered plan's Checkout carries the metered price as a second line item, without a quantity. */
@QuarkusTest
@TestProfile(MeteredPlanProfile.class)
class MeteredCheckoutTest {

    @Test
    void theMeteredPriceIsALineItemWithoutQuantity() {
        String account = StripeEvents.newId("acct");
        StripeStub.server().stubFor(post(urlEqualTo("/v1/customers"))
                .withRequestBody(containing("account_id%5D=" + account)).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(StripeFixtures.object("customer").put("id", "cus_" + account).toString())));
        StripeStub.server().stubFor(post(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + account)).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(StripeFixtures.object("checkout.session").put("id", "cs_test_" + account).toString())));

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("plan", "scale", "interval", "monthly")).post("/v1/billing/checkout-sessions").then()
                .statusCode(200);
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("plan", "scale", "interval", "yearly")).post("/v1/billing/checkout-sessions").then()
                .statusCode(400).contentType("application/problem+json");

        List<LoggedRequest> sessions = StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + account)));
        assertEquals(1, sessions.size());
        Map<String, String> form = UsageForms.decode(sessions.get(0));
        assertEquals(MeteredPlanProfile.PRICE, form.get("line_items[0][price]"));
        assertEquals("1", form.get("line_items[0][quantity]"));
        assertEquals(MeteredPlanProfile.METERED_PRICE, form.get("line_items[1][price]"));
        assertFalse(form.containsKey("line_items[1][quantity]"), "Stripe refuses a quantity on a metered price");
        assertFalse(form.containsKey("line_items[2][price]"));
    }
}
