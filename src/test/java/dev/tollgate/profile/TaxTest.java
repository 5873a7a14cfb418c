package dev.tollgate.profile;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** Tax with Stripe Tax off (the default): nothing sent; tax ids mirrored and tax amounts listed all the same. */
@QuarkusTest
class TaxTest {

    @Inject
    Db db;

    private TaxStubs stripe;

    @BeforeEach
    void stubStripe() {
        stripe = new TaxStubs();
    }

    @AfterEach
    void removeStubs() {
        stripe.removeAll();
    }

    @Test
    void offByDefaultNoTaxParameterIsSent() {
        stripe.call("/v1/billing/checkout-sessions", Map.of("plan", "pro")).then().statusCode(200);
        stripe.call("/v1/billing/checkout-sessions", Map.of("pack", "small")).then().statusCode(200);
        StripeStub.server().verify(2, untaxed(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + stripe.account))));

        stripe.subscribed(db);
        stripe.call("/v1/billing/subscription/preview", Map.of("plan", "team")).then().statusCode(200);
        StripeStub.server().verify(1, untaxed(postRequestedFor(urlEqualTo("/v1/invoices/create_preview"))
                .withRequestBody(containing("customer=" + stripe.customer))));
        stripe.call("/v1/billing/subscription/change", Map.of("plan", "team")).then().statusCode(200);
        StripeStub.server().verify(1, untaxed(postRequestedFor(urlEqualTo("/v1/subscriptions/" + stripe.subscription))
                .withRequestBody(containing("items%5B0%5D%5Bprice%5D=price_team_monthly"))));
        given().auth().oauth2(TestTokens.user(stripe.account)).get("/v1/billing/profile").then().statusCode(200)
                .body("automatic_tax", equalTo(false));
    }

    @Test
    void customerTaxIdsAreMirroredAndShownWithTheAccount() {
        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.created",
                StripeObjects.customer(stripe.customer, stripe.account), now - 10));
        String id = StripeEvents.newId("txi");
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.tax_id.created",
                StripeObjects.taxId(id, stripe.customer, "pending"), now - 5));
        assertEquals(Map.of("customer_id", stripe.customer, "type", "eu_vat", "value", "DE123456789", "country", "DE",
                "verification_status", "pending", "deleted", false),
                db.one("select customer_id, type, value, country,"
                        + " verification_status, deleted from stripe_tax_id where id = $1", id));

        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.tax_id.updated",
                StripeObjects.taxId(id, stripe.customer, "verified"), now - 3));
        given().auth().oauth2(TestTokens.user(stripe.account)).get("/v1/billing/profile").then().statusCode(200)
                .body("tax_ids.size()", equalTo(1)).body("tax_ids[0].id", equalTo(id))
                .body("tax_ids[0].type", equalTo("eu_vat")).body("tax_ids[0].value", equalTo("DE123456789"))
                .body("tax_ids[0].country", equalTo("DE")).body("tax_ids[0].verification", equalTo("verified"));
        // A service token reads any account's.
        given().auth().oauth2(TestTokens.service()).get("/v1/billing/profile?account=" + stripe.account).then()
                .statusCode(200).body("tax_ids[0].id", equalTo(id));

        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.tax_id.deleted",
                StripeObjects.taxId(id, stripe.customer, "verified"), now));
        assertEquals(true, db.value("select deleted from stripe_tax_id where id = $1", id));
        given().auth().oauth2(TestTokens.user(stripe.account)).get("/v1/billing/profile").then().statusCode(200)
                .body("tax_ids.size()", equalTo(0));
    }

    @Test
    void invoicesAndPaymentsListTheirTax() {
        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.created",
                StripeObjects.customer(stripe.customer, stripe.account), now - 10));
        ObjectNode taxed = StripeObjects.invoice(StripeEvents.newId("in"), stripe.customer, stripe.subscription,
                "paid", 2380).put("created", now - 5);
        ArrayNode taxes = taxed.putArray("total_taxes");
        taxes.addObject().put("amount", 300).put("tax_behavior", "exclusive");
        taxes.addObject().put("amount", 80).put("tax_behavior", "exclusive");
        ObjectNode untaxed = StripeObjects.invoice(StripeEvents.newId("in"), stripe.customer, stripe.subscription,
                "paid", 2000).put("created", now - 8);
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("invoice.paid", taxed, now - 5));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("invoice.paid", untaxed, now - 5));
        assertEquals(380L, db.value("select tax from stripe_invoice where id = $1", taxed.path("id").asText()));

        given().auth().oauth2(TestTokens.user(stripe.account)).get("/v1/billing/invoices").then().statusCode(200)
                .body("items[0].id", equalTo(taxed.path("id").asText())).body("items[0].tax", equalTo(380))
                .body("items[1].tax", nullValue());

        // A pack bought through Checkout: the payment's tax is the session's total_details.amount_tax.
        String intent = StripeEvents.newId("pi");
        ObjectNode session = StripeObjects.checkoutSession(StripeEvents.newId("cs"), stripe.customer, stripe.account,
                "payment", "paid").put("payment_intent", intent);
        ((ObjectNode) session.path("total_details")).put("amount_tax", 95);
        Webhooks.deliverAndAwaitApplied(db, List.of(StripeEvents.event("checkout.session.completed", session, now),
                StripeEvents.event("payment_intent.succeeded",
                        StripeObjects.paymentIntent(intent, stripe.customer, "succeeded", 595), now)));
        given().auth().oauth2(TestTokens.user(stripe.account)).get("/v1/billing/payments").then().statusCode(200)
                .body("items.find { it.id == '" + intent + "' }.amount", equalTo(595))
                .body("items.find { it.id == '" + intent + "' }.tax", equalTo(95));
    }

    private static RequestPatternBuilder untaxed(RequestPatternBuilder request) {
        return request.withRequestBody(notContaining("automatic_tax")).withRequestBody(notContaining("tax_id_collection"))
                .withRequestBody(notContaining("billing_address_collection"))
                .withRequestBody(notContaining("customer_update"));
    }
}
