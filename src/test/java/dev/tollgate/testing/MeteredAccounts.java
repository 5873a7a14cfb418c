package dev.tollgate.testing;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An account subscribed to {@link MeteredPlanProfile}'s metered plan through signed webhooks. */
public final class MeteredAccounts {

    /** {@code periodStart}: the subscription's current period began a day ago (Unix seconds). */
    public record MeteredAccount(String account, String customer, long periodStart) {
    }

    private MeteredAccounts() {
    }

    public static MeteredAccount subscribe(Db db) {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        long now = System.currentTimeMillis() / 1000;
        long periodStart = now - 86_400;
        ObjectNode subscription = StripeObjects.subscription(StripeEvents.newId("sub"), customer, "active",
                periodStart, now + 29 * 86_400);
        ((ObjectNode) subscription.path("items").path("data").path(0).path("price")).put("id",
                MeteredPlanProfile.PRICE);
        Webhooks.deliverAndAwaitApplied(db, List.of(
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now - 60),
                StripeEvents.event("customer.subscription.created", subscription, now - 60)));
        return new MeteredAccount(account, customer, periodStart);
    }
}
