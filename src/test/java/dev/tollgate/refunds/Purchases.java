package dev.tollgate.refunds;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.Webhooks;

/** A paid credit-pack purchase (500 credits for 1000) of a fresh account, as the webhook delivers it. */
record Purchases(String account, String customer, String intent, String charge) {

    static Purchases packBought(Db db) {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String intent = StripeEvents.newId("pi");
        String charge = StripeEvents.newId("ch");
        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now - 20));
        ObjectNode session = StripeObjects.checkoutSession(StripeEvents.newId("cs"), customer, account, "payment",
                "paid");
        session.put("payment_intent", intent).put("amount_total", 1000);
        session.putObject("metadata").put("account_id", account).put("pack", "small").put("quantity", "1");
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("checkout.session.completed", session, now - 20));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("charge.succeeded",
                StripeObjects.charge(charge, customer, intent, 1000, 0), now - 20));
        return new Purchases(account, customer, intent, charge);
    }

    long balance(Db db) {
        Object value = db.value("select balance from credit_balance where account_id = $1", account);
        return value == null ? 0 : ((Number) value).longValue();
    }
}
