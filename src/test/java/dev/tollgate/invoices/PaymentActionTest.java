package dev.tollgate.invoices;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.callbacks.CallbackReceiver;
import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * invoice.payment_action_required: the subscription shows the payment to confirm (with the client secret read
 * from Stripe once) until the invoice is paid, the product gets one payment.action_required callback, and the
 * account's live stream announces it.
 */
@QuarkusTest
@WithTestResource(value = CallbackReceiver.class, scope = TestResourceScope.GLOBAL)
class PaymentActionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Db db;

    @TestHTTPResource("/v1/billing/stream")
    URI streamUrl;

    @Test
    void anIncompleteSubscriptionShowsThePaymentToConfirmUntilItIsPaid() throws Exception {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String subId = StripeEvents.newId("sub");
        String invoiceId = StripeEvents.newId("in");
        String intentId = StripeEvents.newId("pi");
        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now - 10));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created",
                StripeObjects.subscription(subId, customer, "incomplete", now, now + 30 * 86_400L), now - 10));
        ObjectNode open = StripeObjects.invoice(invoiceId, customer, subId, "open", 2900);
        open.put("billing_reason", "subscription_create").put("attempt_count", 1).put("created", now - 5);
        stubInvoiceRead(invoiceId, open, intentId);

        try (LiveLines live = new LiveLines(streamUrl, account)) {
            Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("invoice.payment_action_required", open, now));
            assertNotNull(live.await("\"payment_action\""), "the live stream announces the action");
        }
        // Stripe may deliver it again: still one action and one callback.
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("invoice.payment_action_required", open, now + 1));

        await().atMost(Duration.ofSeconds(15)).until(() -> db.value(
                "select client_secret from payment_action where invoice_id = $1", invoiceId) != null);
        StripeStub.server().verify(1, getRequestedFor(urlEqualTo(readPath(invoiceId))));
        assertEquals(intentId, db.value("select payment_intent_id from payment_action where invoice_id = $1", invoiceId));

        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/subscription").then().statusCode(200)
                .body("status", equalTo("incomplete"))
                .body("action.type", equalTo("confirm_payment"))
                .body("action.invoice_id", equalTo(invoiceId))
                .body("action.payment_intent_client_secret", equalTo(intentId + "_secret_abc"))
                .body("action.hosted_invoice_url", equalTo("https://invoice.stripe.com/i/" + invoiceId))
                .body("action.amount", equalTo(2900))
                .body("action.currency", equalTo("usd"));

        assertEquals(1L, db.count("select count(*) from callback_outbox where account_id = $1 and type = $2", account,
                PaymentActions.CALLBACK));
        JsonNode data = JSON.readTree(String.valueOf(db.value(
                "select data::text from callback_outbox where account_id = $1 and type = $2", account,
                PaymentActions.CALLBACK)));
        assertEquals(invoiceId, data.path("invoice_id").asText());
        assertEquals(subId, data.path("subscription_id").asText());
        assertEquals(2900, data.path("amount").asLong());
        assertEquals("https://invoice.stripe.com/i/" + invoiceId, data.path("hosted_invoice_url").asText());

        // Another account sees nothing of it.
        given().auth().oauth2(TestTokens.user(StripeEvents.newId("acct"))).get("/v1/billing/subscription").then()
                .statusCode(200).body("action", nullValue());

        // The customer confirms; the invoice is paid and the subscription active: the action is gone.
        ObjectNode paid = StripeObjects.invoice(invoiceId, customer, subId, "paid", 2900);
        paid.put("billing_reason", "subscription_create").put("attempt_count", 2).put("created", now - 5);
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("invoice.paid", paid, now + 2));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.updated",
                StripeObjects.subscription(subId, customer, "active", now, now + 30 * 86_400L), now + 2));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/subscription").then().statusCode(200)
                .body("status", equalTo("active")).body("action", nullValue());
    }

    @Test
    void aSucceededPaymentIntentResolvesTheActionBeforeTheInvoiceEventArrives() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String subId = StripeEvents.newId("sub");
        String invoiceId = StripeEvents.newId("in");
        String intentId = StripeEvents.newId("pi");
        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now - 10));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created",
                StripeObjects.subscription(subId, customer, "past_due", now, now + 30 * 86_400L), now - 10));
        ObjectNode open = StripeObjects.invoice(invoiceId, customer, subId, "open", 1500);
        open.put("attempt_count", 1);
        stubInvoiceRead(invoiceId, open, intentId);
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("invoice.payment_action_required", open, now));
        await().atMost(Duration.ofSeconds(15)).until(() -> db.value(
                "select payment_intent_id from payment_action where invoice_id = $1", invoiceId) != null);
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/subscription").then()
                .body("status", equalTo("past_due")).body("action.amount", equalTo(1500));

        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("payment_intent.succeeded",
                StripeObjects.paymentIntent(intentId, customer, "succeeded", 1500), now + 1));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/subscription").then()
                .body("action", nullValue());
    }

    static String readPath(String invoiceId) {
        return "/v1/invoices/" + invoiceId + "?expand%5B%5D=confirmation_secret&expand%5B%5D=payments";
    }

    /** Stripe's answer to the retrieve with expansions: the confirmation secret and the default payment's intent. */
    static void stubInvoiceRead(String invoiceId, ObjectNode invoice, String intentId) {
        ObjectNode expanded = invoice.deepCopy();
        expanded.putObject("confirmation_secret").put("type", "payment_intent")
                .put("client_secret", intentId + "_secret_abc");
        ObjectNode payment = dev.tollgate.testing.StripeFixtures.object("invoice_payment");
        payment.put("id", "inpay_" + intentId).put("invoice", invoiceId).put("is_default", true)
                .put("status", "open");
        payment.putObject("payment").put("type", "payment_intent").put("payment_intent", intentId);
        expanded.set("payments", StripeObjects.list("/v1/invoices/" + invoiceId + "/payments", false, payment));
        StripeStub.server().stubFor(get(urlEqualTo(readPath(invoiceId))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(expanded.toString())));
    }
}
