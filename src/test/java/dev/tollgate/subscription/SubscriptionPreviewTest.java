package dev.tollgate.subscription;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** POST /v1/billing/subscription/preview: Stripe's invoice preview of a change, and nothing changed. */
@QuarkusTest
class SubscriptionPreviewTest {

    @Inject
    Db db;

    private StubMapping stub;

    @AfterEach
    void removeStub() {
        if (stub != null) {
            StripeStub.server().removeStub(stub);
        }
    }

    @Test
    void anUpgradeIsPreviewedWithItsProrationsAndTax() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String subscription = StripeEvents.newId("sub");
        subscribed(account, customer, subscription);
        stubPreview(customer);

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("plan", "team", "interval", "monthly", "proration", "always_invoice"))
                .post("/v1/billing/subscription/preview").then().statusCode(200)
                .body("plan", equalTo("team")).body("interval", equalTo("monthly"))
                .body("currency", equalTo("usd"))
                // Prorations: -2000 for the unused Pro time, +6000 for Team: 4000, invoiced now.
                .body("proration_amount", equalTo(4000)).body("amount_due_now", equalTo(4000))
                .body("next_invoice_amount", equalTo(10_480)).body("next_invoice_subtotal", equalTo(10_000))
                .body("tax", equalTo(480))
                .body("lines", hasSize(3)).body("lines[0].proration", equalTo(true))
                .body("lines[2].proration", equalTo(false));

        StripeStub.server().verify(postRequestedFor(urlEqualTo("/v1/invoices/create_preview"))
                .withRequestBody(containing("customer=" + customer))
                .withRequestBody(containing("subscription=" + subscription))
                .withRequestBody(containing("subscription_details%5Bitems%5D%5B0%5D%5Bid%5D=si_" + subscription.substring(4)))
                .withRequestBody(containing("subscription_details%5Bitems%5D%5B0%5D%5Bprice%5D=price_team_monthly"))
                .withRequestBody(containing("subscription_details%5Bproration_behavior%5D=always_invoice"))
                .withRequestBody(matching(".*subscription_details%5Bproration_date%5D=\\d{10}.*")));
        // A preview changes nothing: the mirror still has Pro.
        assertEquals("price_pro_monthly",
                db.value("select price_id from stripe_subscription where id = $1", subscription));
        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/subscriptions/" + subscription)))
                .size());
    }

    @Test
    void withCreateProrationsNothingIsDueNow() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        subscribed(account, customer, StripeEvents.newId("sub"));
        stubPreview(customer);

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("plan", "team")).post("/v1/billing/subscription/preview").then().statusCode(200)
                .body("proration", equalTo("create_prorations"))
                .body("proration_amount", equalTo(4000)).body("amount_due_now", equalTo(0));
        StripeStub.server().verify(postRequestedFor(urlEqualTo("/v1/invoices/create_preview"))
                .withRequestBody(containing("customer=" + customer))
                .withRequestBody(containing("subscription_details%5Bproration_behavior%5D=create_prorations")));
    }

    @Test
    void aChangeWithThePreviewsProrationDateIsChargedAsPreviewed() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String subscription = StripeEvents.newId("sub");
        subscribed(account, customer, subscription);
        stubPreview(customer);
        long prorationDate = given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("plan", "team")).post("/v1/billing/subscription/preview").then().statusCode(200)
                .extract().jsonPath().getLong("proration_date");
        long now = System.currentTimeMillis() / 1000;
        ObjectNode changed = StripeObjects.subscription(subscription, customer, "active", now - 15 * 86_400L,
                now + 15 * 86_400L);
        ((ObjectNode) changed.path("items").path("data").get(0).path("price")).put("id", "price_team_monthly");
        StubMapping update = StripeStub.server().stubFor(post(urlEqualTo("/v1/subscriptions/" + subscription))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(changed.toString())));
        try {
            given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                    .body(Map.of("plan", "team", "proration_date", prorationDate))
                    .post("/v1/billing/subscription/change").then().statusCode(200).body("plan", equalTo("team"));
            StripeStub.server().verify(postRequestedFor(urlEqualTo("/v1/subscriptions/" + subscription))
                    .withRequestBody(containing("items%5B0%5D%5Bprice%5D=price_team_monthly"))
                    .withRequestBody(containing("proration_date=" + prorationDate)));

            // A stale or future date is refused before Stripe is called.
            given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                    .body(Map.of("plan", "team", "proration_date", now - 7200))
                    .post("/v1/billing/subscription/change").then().statusCode(400)
                    .body("type", containsString("invalid-proration-date"));
            assertEquals(1, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/subscriptions/" + subscription)))
                    .size());
        } finally {
            StripeStub.server().removeStub(update);
        }
    }

    @Test
    void seatsArePreviewedAsTheItemsQuantityWithinThePlansBounds() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        subscribed(account, customer, StripeEvents.newId("sub"));
        stubPreview(customer);

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("plan", "team", "seats", 12)).post("/v1/billing/subscription/preview").then()
                .statusCode(200).body("plan", equalTo("team")).body("seats", equalTo(12));
        StripeStub.server().verify(postRequestedFor(urlEqualTo("/v1/invoices/create_preview"))
                .withRequestBody(containing("customer=" + customer))
                .withRequestBody(containing("subscription_details%5Bitems%5D%5B0%5D%5Bprice%5D=price_team_monthly"
                        + "&subscription_details%5Bitems%5D%5B0%5D%5Bquantity%5D=12&")));

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("plan", "team", "seats", 51)).post("/v1/billing/subscription/preview").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("seats must be from 1 to 50 for plan \"team\"."));
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("seats", 2)).post("/v1/billing/subscription/preview").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("Plan \"pro\" is not sold per seat: leave seats out."));
        assertEquals(1, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/invoices/create_preview"))
                .withRequestBody(containing("customer=" + customer))).size());
    }

    @Test
    void withoutASubscriptionOrWithABadRequestStripeIsNotAsked() {
        String account = StripeEvents.newId("acct");
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of("plan", "team"))
                .post("/v1/billing/subscription/preview").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("no active subscription"));
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("plan", "team", "proration", "sometimes")).post("/v1/billing/subscription/preview")
                .then().statusCode(400).body("type", containsString("invalid-proration"));
        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/invoices/create_preview"))
                .withRequestBody(containing(account))).size());
        given().contentType("application/json").body(Map.of("plan", "team")).post("/v1/billing/subscription/preview")
                .then().statusCode(401);
    }

    private void subscribed(String account, String customer, String subscription) {
        long now = System.currentTimeMillis() / 1000;
        // Sent a minute ago: a change read from Stripe now is newer, as it would be in life.
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now - 60));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created",
                StripeObjects.subscription(subscription, customer, "active", now - 15 * 86_400L, now + 15 * 86_400L),
                now - 60));
    }

    /** The invoice fixture as a preview: two proration lines and the next period's line, with tax. */
    private void stubPreview(String customer) {
        ObjectNode invoice = StripeFixtures.object("invoice").put("customer", customer).put("amount_due", 10_480)
                .put("subtotal", 10_000).put("total", 10_480).put("currency", "usd");
        invoice.putArray("total_taxes").addObject().put("amount", 480).put("tax_behavior", "exclusive");
        ObjectNode template = (ObjectNode) invoice.path("lines").path("data").get(0);
        ArrayNode lines = ((ObjectNode) invoice.path("lines")).putArray("data");
        lines.add(line(template, "Unused time on Pro", -2000, true));
        lines.add(line(template, "Remaining time on Team", 6000, true));
        lines.add(line(template, "1 x Team (at $60.00 / month)", 6000, false));
        stub = StripeStub.server().stubFor(post(urlEqualTo("/v1/invoices/create_preview"))
                .withRequestBody(containing("customer=" + customer))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(invoice.toString())));
    }

    private static ObjectNode line(ObjectNode template, String description, long amount, boolean proration) {
        ObjectNode line = template.deepCopy().put("description", description).put("amount", amount);
        ObjectNode parent = line.putObject("parent").put("type", "subscription_item_details");
        parent.putObject("subscription_item_details").put("proration", proration);
        return line;
    }

}
