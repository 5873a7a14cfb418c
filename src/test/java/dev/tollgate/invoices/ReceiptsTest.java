package dev.tollgate.invoices;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** A credit-pack Checkout's invoice is a receipt: it grants nothing more, whichever event comes first. */
@QuarkusTest
class ReceiptsTest {

    @Inject
    Db db;

    @Test
    void thePackIsGrantedOnceWhenTheSessionComesFirst() {
        onePackGrant(true);
    }

    @Test
    void thePackIsGrantedOnceWhenTheInvoiceComesFirst() {
        onePackGrant(false);
    }

    private void onePackGrant(boolean sessionFirst) {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String intent = StripeEvents.newId("pi");
        String invoiceId = StripeEvents.newId("in");
        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now - 10));
        ObjectNode session = StripeObjects.checkoutSession(StripeEvents.newId("cs"), customer, account, "payment",
                "paid");
        session.put("payment_intent", intent).put("amount_total", 500).put("invoice", invoiceId);
        session.putObject("metadata").put("account_id", account).put("pack", "small").put("quantity", "1");
        ObjectNode receipt = packInvoice(invoiceId, customer);
        List<ObjectNode> events = List.of(StripeEvents.event("checkout.session.completed", session, now),
                StripeEvents.event("invoice.paid", receipt, now));
        for (ObjectNode event : sessionFirst ? events : List.of(events.get(1), events.get(0))) {
            Webhooks.deliverAndAwaitApplied(db, event);
        }

        assertEquals(1L, db.count("select count(*) from credit_ledger where account_id = $1 and amount > 0", account));
        assertEquals(500L, ((Number) db.value("select balance from credit_balance where account_id = $1", account))
                .longValue());
        // The purchase has its receipt.
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/invoices/" + invoiceId).then().statusCode(200)
                .body("status", equalTo("paid")).body("number", equalTo("A1B2-0001"))
                .body("invoice_pdf", equalTo("https://pay.stripe.com/invoice/" + invoiceId + "/pdf"));
    }

    @Test
    void anInvoiceShowsItsLinesTaxAndLinks() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String invoiceId = StripeEvents.newId("in");
        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now - 10));
        ObjectNode invoice = StripeObjects.invoice(invoiceId, customer, StripeEvents.newId("sub"), "paid", 1190);
        invoice.put("number", "A1B2-0002").put("subtotal", 1000).put("total_excluding_tax", 1000);
        invoice.putArray("total_taxes").addObject().put("amount", 190).put("tax_behavior", "exclusive");
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("invoice.finalized", invoice, now));

        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/invoices/" + invoiceId).then().statusCode(200)
                .body("id", equalTo(invoiceId)).body("number", equalTo("A1B2-0002"))
                .body("subtotal", equalTo(1000)).body("tax", equalTo(190)).body("total", equalTo(1190))
                .body("hosted_invoice_url", equalTo("https://invoice.stripe.com/i/" + invoiceId))
                .body("lines", hasSize(1))
                .body("lines[0].description", equalTo("My First Invoice Item (created for API docs)"))
                .body("lines[0].amount", equalTo(1000)).body("lines[0].proration", equalTo(true));
        given().auth().oauth2(TestTokens.user(StripeEvents.newId("acct"))).get("/v1/billing/invoices/" + invoiceId)
                .then().statusCode(404).contentType("application/problem+json");
    }

    /** The invoice Checkout creates for a one-time payment: no subscription, billing_reason manual. */
    private static ObjectNode packInvoice(String id, String customer) {
        ObjectNode invoice = StripeObjects.invoice(id, customer, null, "paid", 500);
        invoice.put("billing_reason", "manual").put("number", "A1B2-0001");
        invoice.putNull("parent");
        return invoice;
    }
}
