package dev.tollgate.payments;

import static dev.tollgate.testing.Webhooks.deliverAndAwaitApplied;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** Payment history and invoices, built from webhooks, newest first, only the caller's own. */
@QuarkusTest
class PaymentHistoryTest {

    @Inject
    Db db;

    @Test
    void paymentsShowMethodLast4FailuresAndRefundsNewestFirst() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        deliverAndAwaitApplied(db, "customer.created", StripeObjects.customer(customer, account));
        long t = 1_790_000_000L;
        ObjectNode paid = StripeObjects.paymentIntent("pi_1" + account, customer, "succeeded", 2000)
                .put("latest_charge", "ch_1" + account).put("created", t);
        deliverAndAwaitApplied(db, "payment_intent.succeeded", paid);
        deliverAndAwaitApplied(db, "charge.refunded",
                StripeObjects.charge("ch_1" + account, customer, "pi_1" + account, 2000, 2000));
        ObjectNode failed = StripeObjects.paymentIntent("pi_2" + account, customer, "requires_payment_method", 900)
                .put("created", t + 100);
        failed.putObject("last_payment_error").put("code", "card_declined").put("message", "Your card was declined.");
        deliverAndAwaitApplied(db, "payment_intent.payment_failed", failed);

        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/payments").then().statusCode(200)
                .body("total", equalTo(2)).body("items", hasSize(2))
                .body("items[0].id", equalTo("pi_2" + account))
                .body("items[0].failure_reason", equalTo("Your card was declined."))
                .body("items[1].last4", equalTo("4242")).body("items[1].method", equalTo("card"))
                .body("items[1].refunded", equalTo(true)).body("items[1].amount_refunded", equalTo(2000));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/payments?limit=1&offset=1").then()
                .statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo("pi_1" + account));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/payments?limit=0").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/payments?limit=ten").then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("invalid-parameter"));
    }

    @Test
    void invoicesCarryTheirLinksAndStayPrivate() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        deliverAndAwaitApplied(db, "customer.created", StripeObjects.customer(customer, account));
        deliverAndAwaitApplied(db, "invoice.paid", StripeObjects.invoice("in_" + account, customer, "sub_x", "paid", 2000));

        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/invoices").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].status", equalTo("paid"))
                .body("items[0].hosted_invoice_url", equalTo("https://invoice.stripe.com/i/in_" + account))
                .body("items[0].invoice_pdf", equalTo("https://pay.stripe.com/invoice/in_" + account + "/pdf"));
        given().auth().oauth2(TestTokens.user(StripeEvents.newId("acct"))).get("/v1/billing/invoices").then()
                .statusCode(200).body("total", equalTo(0));
        given().auth().oauth2(TestTokens.user(StripeEvents.newId("acct")))
                .get("/v1/billing/invoices?account=" + account).then().statusCode(403);
        given().auth().oauth2(TestTokens.service()).get("/v1/billing/invoices?account=" + account).then()
                .statusCode(200).body("total", equalTo(1));
    }
}
