package dev.tollgate.invoices;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** POST /v1/billing/invoices/{id}/pay: the account's own open invoices only, and SCA answered with the secret. */
@QuarkusTest
class InvoicePayTest {

    @Inject
    Db db;

    private String account;
    private String customer;
    private String subId;
    private String invoiceId;
    private ObjectNode open;

    @BeforeEach
    void pastDueWithAnOpenInvoice() {
        account = StripeEvents.newId("acct");
        customer = "cus_" + account;
        subId = StripeEvents.newId("sub");
        invoiceId = StripeEvents.newId("in");
        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now - 10));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.updated",
                StripeObjects.subscription(subId, customer, "past_due", now, now + 30 * 86_400L), now - 10));
        open = StripeObjects.invoice(invoiceId, customer, subId, "open", 2900);
        open.put("attempt_count", 1);
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("invoice.payment_failed", open, now - 5));
    }

    @Test
    void anOpenInvoiceIsPaidWithTheDefaultMethod() {
        ObjectNode paid = StripeObjects.invoice(invoiceId, customer, subId, "paid", 2900);
        paid.put("attempt_count", 2);
        StripeStub.server().stubFor(post(urlEqualTo("/v1/invoices/" + invoiceId + "/pay")).willReturn(json(200, paid)));

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of())
                .header("Idempotency-Key", "retry-1")
                .post("/v1/billing/invoices/" + invoiceId + "/pay").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("paid"))
                .body("amount_paid", org.hamcrest.Matchers.equalTo(2900))
                .body("action", nullValue());

        var sent = StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/invoices/" + invoiceId + "/pay"))
                .withHeader("Idempotency-Key", matching("invoice-pay-.{43}")));
        assertEquals(1, sent.size());
        assertEquals("", sent.get(0).getBodyAsString(), "no payment_method: the customer's default pays");
        assertEquals("paid", db.value("select status from stripe_invoice where id = $1", invoiceId));
    }

    @Test
    void aCardThatNeedsAuthenticationAnswersTheClientSecret() {
        String intentId = StripeEvents.newId("pi");
        String pm = StripeEvents.newId("pm");
        attach(pm, customer);
        StripeStub.server().stubFor(post(urlEqualTo("/v1/invoices/" + invoiceId + "/pay"))
                .willReturn(aResponse().withStatus(402).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"type\":\"card_error\",\"code\":"
                                + "\"invoice_payment_intent_requires_action\",\"message\":"
                                + "\"Payment for this invoice requires additional user action before it can be"
                                + " completed successfully.\"}}")));
        ObjectNode expanded = open.deepCopy();
        ObjectNode intent = StripeObjects.paymentIntent(intentId, customer, "requires_action", 2900);
        intent.put("client_secret", intentId + "_secret_xyz");
        ObjectNode payment = StripeFixtures.object("invoice_payment");
        payment.put("invoice", invoiceId).put("is_default", true);
        payment.putObject("payment").put("type", "payment_intent").set("payment_intent", intent);
        expanded.set("payments", StripeObjects.list("/v1/invoices/" + invoiceId + "/payments", false, payment));
        StripeStub.server().stubFor(get(urlEqualTo("/v1/invoices/" + invoiceId
                + "?expand%5B%5D=confirmation_secret&expand%5B%5D=payments.data.payment.payment_intent"))
                .willReturn(json(200, expanded)));

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("payment_method", pm))
                .post("/v1/billing/invoices/" + invoiceId + "/pay").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("open"))
                .body("action.type", org.hamcrest.Matchers.equalTo("confirm_payment"))
                .body("action.payment_intent_client_secret", org.hamcrest.Matchers.equalTo(intentId + "_secret_xyz"))
                .body("action.amount", org.hamcrest.Matchers.equalTo(2900));

        StripeStub.server().verify(1, postRequestedFor(urlEqualTo("/v1/invoices/" + invoiceId + "/pay"))
                .withRequestBody(equalTo("payment_method=" + pm)));
        assertEquals(intentId, db.value("select payment_intent_id from payment_action where invoice_id = $1", invoiceId));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/subscription").then()
                .body("action.payment_intent_client_secret", org.hamcrest.Matchers.equalTo(intentId + "_secret_xyz"));
    }

    @Test
    void aDeclineStaysA402WithStripesMessage() {
        StripeStub.server().stubFor(post(urlEqualTo("/v1/invoices/" + invoiceId + "/pay"))
                .willReturn(aResponse().withStatus(402).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\","
                                + "\"message\":\"Your card was declined.\"}}")));
        ObjectNode expanded = open.deepCopy();
        ObjectNode payment = StripeFixtures.object("invoice_payment");
        payment.put("invoice", invoiceId).put("is_default", true);
        payment.putObject("payment").put("type", "payment_intent").set("payment_intent",
                StripeObjects.paymentIntent(StripeEvents.newId("pi"), customer, "requires_payment_method", 2900));
        expanded.set("payments", StripeObjects.list("/v1/invoices/" + invoiceId + "/payments", false, payment));
        StripeStub.server().stubFor(get(urlEqualTo("/v1/invoices/" + invoiceId
                + "?expand%5B%5D=confirmation_secret&expand%5B%5D=payments.data.payment.payment_intent"))
                .willReturn(json(200, expanded)));

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of())
                .post("/v1/billing/invoices/" + invoiceId + "/pay").then().statusCode(402)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.equalTo("Your card was declined."));
    }

    @Test
    void onlyTheAccountsOwnOpenInvoicesAndMethodsAreTouched() {
        String stranger = StripeEvents.newId("acct");
        given().auth().oauth2(TestTokens.user(stranger)).contentType("application/json").body(Map.of())
                .post("/v1/billing/invoices/" + invoiceId + "/pay").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.user(stranger)).get("/v1/billing/invoices/" + invoiceId).then()
                .statusCode(404);

        String othersMethod = StripeEvents.newId("pm");
        attach(othersMethod, "cus_" + stranger);
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("payment_method", othersMethod))
                .post("/v1/billing/invoices/" + invoiceId + "/pay").then().statusCode(404)
                .contentType("application/problem+json");

        ObjectNode paid = StripeObjects.invoice(invoiceId, customer, subId, "paid", 2900);
        paid.put("attempt_count", 2);
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("invoice.paid", paid,
                System.currentTimeMillis() / 1000));
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of())
                .post("/v1/billing/invoices/" + invoiceId + "/pay").then().statusCode(409)
                .contentType("application/problem+json");

        StripeStub.server().verify(0, postRequestedFor(urlEqualTo("/v1/invoices/" + invoiceId + "/pay")));
    }

    private void attach(String pm, String owner) {
        ObjectNode method = StripeFixtures.object("payment_method");
        method.put("id", pm).put("customer", owner);
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("payment_method.attached", method,
                System.currentTimeMillis() / 1000));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, ObjectNode body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body.toString());
    }
}
