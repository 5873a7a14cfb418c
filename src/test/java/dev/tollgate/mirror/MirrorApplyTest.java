package dev.tollgate.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** Every event type Tollgate handles lands in its mirror table with the typed columns filled. */
@QuarkusTest
class MirrorApplyTest {

    @Inject
    Db db;

    /** One handled event type: the object it carries, its mirror table and columns it must fill. */
    record Case(String type, String table, Function<String, ObjectNode> object, Map<String, Object> columns) {
        @Override
        public String toString() {
            return type;
        }
    }

    static Stream<Arguments> handledTypes() {
        return Stream.of(
                new Case("customer.created", "stripe_customer", id -> StripeObjects.customer(id, "acct-" + id),
                        cols("email", "acct-%s@example.com", "deleted", false)),
                new Case("customer.updated", "stripe_customer", id -> StripeObjects.customer(id, "acct-" + id),
                        cols("account_id", "acct-%s")),
                new Case("customer.deleted", "stripe_customer", id -> StripeObjects.customer(id, "acct-" + id),
                        cols("deleted", true)),
                subscription("customer.subscription.created", "incomplete"),
                subscription("customer.subscription.updated", "active"),
                subscription("customer.subscription.deleted", "canceled"),
                subscription("customer.subscription.paused", "paused"),
                subscription("customer.subscription.resumed", "active"),
                subscription("customer.subscription.trial_will_end", "trialing"),
                invoice("invoice.created", "draft"),
                invoice("invoice.finalized", "open"),
                invoice("invoice.paid", "paid"),
                invoice("invoice.payment_succeeded", "paid"),
                invoice("invoice.payment_failed", "open"),
                invoice("invoice.voided", "void"),
                invoice("invoice.marked_uncollectible", "uncollectible"),
                intent("payment_intent.succeeded", "succeeded"),
                intent("payment_intent.processing", "processing"),
                intent("payment_intent.canceled", "canceled"),
                new Case("payment_intent.payment_failed", "stripe_payment_intent", id -> {
                    ObjectNode intent = StripeObjects.paymentIntent(id, "cus_x", "requires_payment_method", 900);
                    intent.putObject("last_payment_error").put("code", "card_declined")
                            .put("message", "Your card was declined.");
                    return intent;
                }, cols("failure_code", "card_declined", "failure_message", "Your card was declined.")),
                new Case("charge.succeeded", "stripe_charge", id -> StripeObjects.charge(id, "cus_x", "pi_x", 700, 0),
                        cols("status", "succeeded", "card_last4", "4242", "payment_method_type", "card")),
                new Case("charge.refunded", "stripe_charge", id -> StripeObjects.charge(id, "cus_x", "pi_x", 700, 700),
                        cols("amount_refunded", 700L, "refunded", true)),
                dispute("charge.dispute.created", "needs_response"),
                dispute("charge.dispute.closed", "won"),
                new Case("refund.created", "stripe_refund", id -> StripeObjects.refund(id, "ch_x", "pi_x", 300)
                        .put("status", "pending"), cols("status", "pending", "amount", 300L)),
                new Case("refund.updated", "stripe_refund", id -> StripeObjects.refund(id, "ch_x", "pi_x", 300),
                        cols("status", "succeeded", "charge_id", "ch_x")),
                session("checkout.session.completed", "complete", "paid"),
                session("checkout.session.async_payment_succeeded", "complete", "paid"),
                session("checkout.session.async_payment_failed", "complete", "unpaid"),
                session("checkout.session.expired", "expired", "unpaid"),
                product("product.created", false),
                product("product.updated", false),
                product("product.deleted", true),
                price("price.created", false),
                price("price.updated", false),
                price("price.deleted", true))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handledTypes")
    void handledEventUpdatesItsMirror(Case c) throws Exception {
        String objectId = StripeEvents.newId(prefix(c.table()));
        ObjectNode object = c.object().apply(objectId);
        object.put("id", objectId);
        ObjectNode event = StripeEvents.event(c.type(), object, now());
        Webhooks.deliverAndAwaitApplied(db, event);
        Map<String, Object> row = db.one("select * from " + c.table() + " where id = $1", objectId);
        c.columns().forEach((column, expected) -> assertEquals(
                expected instanceof String s ? s.replace("%s", objectId) : expected, row.get(column),
                c.type() + " -> " + c.table() + "." + column));
        assertEquals(event.path("id").asText(), row.get("version_event_id"));
        assertEquals(StripeFixtures.MAPPER.readTree(object.toString()),
                StripeFixtures.MAPPER.readTree(String.valueOf(row.get("raw"))),
                "the mirror keeps the raw JSON of the version it holds");
    }

    @Test
    void subscriptionItemsAndPeriodAreMirrored() {
        String subId = StripeEvents.newId("sub");
        ObjectNode sub = StripeObjects.subscription(subId, "cus_items", "active", 1_700_000_000L, 1_702_592_000L);
        Webhooks.deliver(StripeEvents.event("customer.subscription.created", sub, now())).then().statusCode(200);

        await(subId, "stripe_subscription");
        Map<String, Object> row = db.one("select price_id, quantity, extract(epoch from current_period_end)::bigint"
                + " as period_end from stripe_subscription where id = $1", subId);
        assertEquals(StripeObjects.PRICE_PRO_MONTHLY, row.get("price_id"));
        assertEquals(1L, row.get("quantity"));
        assertEquals(1_702_592_000L, row.get("period_end"));
        assertEquals(1L, db.count("select count(*) from stripe_subscription_item where subscription_id = $1"
                + " and price_id = $2", subId, StripeObjects.PRICE_PRO_MONTHLY));
    }

    @Test
    void olderApiShapeWithPeriodOnTheSubscriptionIsRead() {
        String subId = StripeEvents.newId("sub");
        ObjectNode sub = StripeObjects.subscription(subId, "cus_old", "active", 1_700_000_000L, 1_702_592_000L);
        ObjectNode item = (ObjectNode) sub.path("items").path("data").path(0);
        item.remove("current_period_start");
        item.remove("current_period_end");
        sub.put("current_period_start", 1_700_000_000L).put("current_period_end", 1_705_000_000L);
        ObjectNode event = StripeEvents.event("customer.subscription.created", sub, now());
        event.put("api_version", "2024-06-20");
        Webhooks.deliver(event).then().statusCode(200);

        await(subId, "stripe_subscription");
        assertEquals(1_705_000_000L, db.value("select extract(epoch from current_period_end)::bigint"
                + " from stripe_subscription where id = $1", subId));
    }

    @Test
    void invoiceNamesItsSubscriptionThroughParent() {
        String invoiceId = StripeEvents.newId("in");
        ObjectNode invoice = StripeObjects.invoice(invoiceId, "cus_inv", "sub_parent", "open", 2500);
        invoice.put("attempt_count", 2).put("next_payment_attempt", 1_800_000_000L);
        Webhooks.deliver(StripeEvents.event("invoice.payment_failed", invoice, now())).then().statusCode(200);

        await(invoiceId, "stripe_invoice");
        Map<String, Object> row = db.one("select subscription_id, amount_due, amount_remaining, attempt_count,"
                + " hosted_invoice_url, invoice_pdf from stripe_invoice where id = $1", invoiceId);
        assertEquals("sub_parent", row.get("subscription_id"));
        assertEquals(2500L, row.get("amount_due"));
        assertEquals(2500L, row.get("amount_remaining"));
        assertEquals(2, row.get("attempt_count"));
        assertTrue(String.valueOf(row.get("invoice_pdf")).endsWith("/pdf"));
    }

    @Test
    void upcomingInvoicePreviewIsAcknowledgedButNotMirrored() {
        ObjectNode preview = StripeObjects.invoice("in_ignored", "cus_up", "sub_up", "draft", 100);
        preview.remove("id");
        ObjectNode event = StripeEvents.event("invoice.upcoming", preview, now());
        Webhooks.deliverAndAwaitApplied(db, event);
        assertEquals(0, db.count("select count(*) from stripe_invoice where customer_id = 'cus_up'"));
    }

    private void await(String id, String table) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> db.count("select count(*) from " + table + " where id = $1", id) == 1);
    }

    private static Case subscription(String type, String status) {
        return new Case(type, "stripe_subscription",
                id -> StripeObjects.subscription(id, "cus_x", status, 1_700_000_000L, 1_702_592_000L),
                cols("status", status, "customer_id", "cus_x", "price_id", StripeObjects.PRICE_PRO_MONTHLY));
    }

    private static Case invoice(String type, String status) {
        return new Case(type, "stripe_invoice", id -> StripeObjects.invoice(id, "cus_x", "sub_x", status, 2000),
                cols("status", status, "subscription_id", "sub_x", "amount_due", 2000L, "currency", "usd"));
    }

    private static Case intent(String type, String status) {
        return new Case(type, "stripe_payment_intent", id -> StripeObjects.paymentIntent(id, "cus_x", status, 1200),
                cols("status", status, "amount", 1200L, "payment_method_type", "card"));
    }

    private static Case dispute(String type, String status) {
        return new Case(type, "stripe_dispute", id -> {
            ObjectNode dispute = StripeFixtures.object("dispute");
            dispute.put("status", status).put("charge", "ch_disputed");
            return dispute;
        }, cols("status", status, "charge_id", "ch_disputed", "amount", 1000L));
    }

    private static Case session(String type, String status, String paymentStatus) {
        return new Case(type, "stripe_checkout_session", id -> StripeObjects.checkoutSession(id, "cus_x",
                "acct-cs", "payment", paymentStatus).put("status", status),
                cols("status", status, "payment_status", paymentStatus, "client_reference_id", "acct-cs"));
    }

    private static Case product(String type, boolean deleted) {
        return new Case(type, "stripe_product", id -> StripeFixtures.object("product").put("name", "Pro plan"),
                cols("name", "Pro plan", "deleted", deleted));
    }

    private static Case price(String type, boolean deleted) {
        return new Case(type, "stripe_price", id -> StripeFixtures.object("price").put("unit_amount", 2000),
                cols("unit_amount", 2000L, "recurring_interval", "month", "deleted", deleted));
    }

    private static Map<String, Object> cols(Object... pairs) {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            columns.put((String) pairs[i], pairs[i + 1]);
        }
        return columns;
    }

    private static String prefix(String table) {
        return switch (table) {
            case "stripe_customer" -> "cus";
            case "stripe_subscription" -> "sub";
            case "stripe_invoice" -> "in";
            case "stripe_payment_intent" -> "pi";
            case "stripe_charge" -> "ch";
            case "stripe_dispute" -> "dp";
            case "stripe_refund" -> "re";
            case "stripe_checkout_session" -> "cs";
            case "stripe_product" -> "prod";
            default -> "price";
        };
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
