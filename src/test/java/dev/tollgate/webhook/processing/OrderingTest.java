package dev.tollgate.webhook.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.Inbox;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Stripe delivers events late, out of order and several per second for one object. Whatever order
 * they arrive in, the mirror must end in the object's latest state.
 */
@QuarkusTest
class OrderingTest {

    private static final long T = 1_790_000_000L;

    @Inject
    Db db;

    @Test
    void olderSubscriptionEventArrivingLateDoesNotOverwriteNewerState() {
        String subId = StripeEvents.newId("sub");
        ObjectNode incomplete = StripeObjects.subscription(subId, "cus_late", "incomplete", T, T + 2_592_000);
        ObjectNode active = incomplete.deepCopy().put("status", "active");
        ObjectNode canceled = active.deepCopy().put("status", "canceled").put("canceled_at", T + 100);

        deliverInOrder(List.of(
                StripeEvents.event("customer.subscription.deleted", canceled, T + 100),
                StripeEvents.event("customer.subscription.created", incomplete, T),
                StripeEvents.event("customer.subscription.updated", active, T + 10)));

        assertEquals("canceled", subscriptionStatus(subId));
    }

    @Test
    void paidInvoiceIsNotReopenedByALateFinalizedEvent() {
        String invoiceId = StripeEvents.newId("in");
        deliverInOrder(List.of(
                StripeEvents.event("invoice.paid", invoice(invoiceId, "paid"), T + 5),
                StripeEvents.event("invoice.finalized", invoice(invoiceId, "open"), T)));

        assertEquals("paid", invoiceStatus(invoiceId));
    }

    /**
     * invoice.created, .finalized, .paid and .payment_succeeded share one second. In every one of the
     * 24 delivery orders, each applied in its own transaction, the invoice ends paid.
     */
    @Test
    void sameSecondInvoiceEventsEndPaidInEveryDeliveryOrder() {
        List<String> types = List.of("invoice.created", "invoice.finalized", "invoice.paid", "invoice.payment_succeeded");
        List<String> statuses = List.of("draft", "open", "paid", "paid");
        List<String> invoices = new ArrayList<>();
        for (List<Integer> order : permutations(List.of(0, 1, 2, 3))) {
            String invoiceId = StripeEvents.newId("in");
            invoices.add(invoiceId);
            List<ObjectNode> events = new ArrayList<>();
            for (int i : order) {
                events.add(StripeEvents.event(types.get(i), invoice(invoiceId, statuses.get(i)), T));
            }
            deliverInOrder(events);
        }
        for (String invoiceId : invoices) {
            assertEquals("paid", invoiceStatus(invoiceId), invoiceId);
            assertEquals(2000L, db.value("select amount_paid from stripe_invoice where id = $1", invoiceId));
        }
    }

    @Test
    void sameSecondInvoiceEventsDeliveredAtOnceEndPaid() {
        List<String> invoices = new ArrayList<>();
        List<ObjectNode> events = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            String invoiceId = StripeEvents.newId("in");
            invoices.add(invoiceId);
            events.add(StripeEvents.event("invoice.payment_succeeded", invoice(invoiceId, "paid"), T));
            events.add(StripeEvents.event("invoice.paid", invoice(invoiceId, "paid"), T));
            events.add(StripeEvents.event("invoice.finalized", invoice(invoiceId, "open"), T));
            events.add(StripeEvents.event("invoice.created", invoice(invoiceId, "draft"), T));
        }
        deliverConcurrently(events);
        for (String invoiceId : invoices) {
            assertEquals("paid", invoiceStatus(invoiceId), invoiceId);
        }
    }

    @Test
    void sameSecondSubscriptionCreateAndActivateEndActiveInBothOrders() {
        for (boolean reversed : new boolean[] { false, true }) {
            String subId = StripeEvents.newId("sub");
            ObjectNode incomplete = StripeObjects.subscription(subId, "cus_tie", "incomplete", T, T + 2_592_000);
            ObjectNode active = incomplete.deepCopy().put("status", "active");
            ObjectNode created = StripeEvents.event("customer.subscription.created", incomplete, T);
            ObjectNode updated = StripeEvents.event(StripeEvents.newId("evt"), "customer.subscription.updated", active,
                    T, StripeFixtures.MAPPER.createObjectNode().put("status", "incomplete"));
            deliverInOrder(reversed ? List.of(updated, created) : List.of(created, updated));
            assertEquals("active", subscriptionStatus(subId), "reversed=" + reversed);
        }
    }

    /**
     * Two updates in one second with the same status and period: only previous_attributes tells which
     * came last (the note was set, then the subscription was set to cancel).
     */
    @Test
    void previousAttributesOrderSameSecondUpdatesWithEqualStatus() {
        for (boolean reversed : new boolean[] { false, true }) {
            String subId = StripeEvents.newId("sub");
            ObjectNode base = StripeObjects.subscription(subId, "cus_prev", "active", T, T + 2_592_000);
            ObjectNode noted = base.deepCopy();
            noted.putObject("metadata").put("note", "vip");
            ObjectNode canceling = noted.deepCopy().put("cancel_at_period_end", true);
            ObjectNode first = StripeEvents.event(StripeEvents.newId("evt"), "customer.subscription.updated", noted, T,
                    StripeFixtures.MAPPER.createObjectNode().set("metadata",
                            StripeFixtures.MAPPER.createObjectNode().putNull("note")));
            ObjectNode second = StripeEvents.event(StripeEvents.newId("evt"), "customer.subscription.updated",
                    canceling, T, StripeFixtures.MAPPER.createObjectNode().put("cancel_at_period_end", false));
            deliverInOrder(reversed ? List.of(second, first) : List.of(first, second));

            assertEquals(true, db.value("select cancel_at_period_end from stripe_subscription where id = $1", subId),
                    "reversed=" + reversed);
        }
    }

    @Test
    void sameSecondRenewalsKeepTheLaterPeriod() {
        String subId = StripeEvents.newId("sub");
        ObjectNode first = StripeObjects.subscription(subId, "cus_renew", "active", T, T + 100);
        ObjectNode second = StripeObjects.subscription(subId, "cus_renew", "active", T + 100, T + 200);
        deliverInOrder(List.of(
                StripeEvents.event("customer.subscription.updated", second, T),
                StripeEvents.event("customer.subscription.updated", first, T)));

        assertEquals(T + 200, db.value("select extract(epoch from current_period_end)::bigint"
                + " from stripe_subscription where id = $1", subId));
    }

    private static ObjectNode invoice(String id, String status) {
        ObjectNode invoice = StripeObjects.invoice(id, "cus_order", "sub_order", status, 2000);
        if (!"draft".equals(status)) {
            invoice.put("number", "INV-" + id);
        }
        return invoice;
    }

    /** Delivers one after another, each applied before the next arrives (separate transactions). */
    private void deliverInOrder(List<ObjectNode> events) {
        for (ObjectNode event : events) {
            Webhooks.deliverAndAwaitApplied(db, event);
        }
    }

    /** Delivers all at once from parallel clients, so they race into the same inbox batches. */
    private void deliverConcurrently(List<ObjectNode> events) {
        List<CompletableFuture<Integer>> posts = events.stream()
                .map(e -> CompletableFuture.supplyAsync(() -> Webhooks.deliver(e).statusCode())).toList();
        posts.forEach(p -> assertEquals(200, p.join()));
        events.forEach(e -> assertEquals("applied", Inbox.awaitProcessed(db, e.path("id").asText())));
    }

    private String subscriptionStatus(String id) {
        return (String) db.value("select status from stripe_subscription where id = $1", id);
    }

    private String invoiceStatus(String id) {
        return (String) db.value("select status from stripe_invoice where id = $1", id);
    }

    private static List<List<Integer>> permutations(List<Integer> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<Integer>> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<Integer> rest = new ArrayList<>(items);
            Integer head = rest.remove(i);
            for (List<Integer> tail : permutations(rest)) {
                List<Integer> permutation = new ArrayList<>();
                permutation.add(head);
                permutation.addAll(tail);
                result.add(permutation);
            }
        }
        return result;
    }
}
