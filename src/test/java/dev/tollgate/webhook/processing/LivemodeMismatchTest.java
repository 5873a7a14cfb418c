package dev.tollgate.webhook.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.Inbox;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.Webhooks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The test profile holds a test-mode secret key (sk_test_...): live-mode events are stored and
 * acknowledged, but ignored with their reason, counted, and never mirrored or applied.
 */
@QuarkusTest
@WithTestResource(value = StripeStub.class, scope = TestResourceScope.GLOBAL)
class LivemodeMismatchTest {

    @Inject
    Db db;

    @Inject
    MeterRegistry registry;

    @Test
    void liveModeCreditPackGrantsNothingWhileTheSameTestModeEventDoes() {
        String liveAccount = StripeEvents.newId("acct");
        String testAccount = StripeEvents.newId("acct");
        double before = mismatches("checkout.session.completed");

        ObjectNode live = packPurchase(liveAccount).put("livemode", true);
        Webhooks.deliver(live).then().statusCode(200);
        ObjectNode test = packPurchase(testAccount);
        Webhooks.deliver(test).then().statusCode(200);

        assertEquals("ignored", Inbox.awaitProcessed(db, id(live)));
        assertEquals("applied", Inbox.awaitProcessed(db, id(test)));
        String reason = (String) db.value("select last_error from stripe_event where id = $1", id(live));
        assertTrue(reason != null && reason.contains("livemode") && reason.contains("live-mode event"), reason);
        assertEquals(true, db.value("select livemode from stripe_event where id = $1", id(live)));
        assertEquals(1, db.count("select count(*) from stripe_event_payload where id = $1", id(live)));
        assertEquals(0, db.count("select count(*) from credit_ledger where account_id = $1", liveAccount));
        assertEquals(0, db.count("select count(*) from stripe_checkout_session where client_reference_id = $1",
                liveAccount));
        assertEquals(0, db.count("select count(*) from test_effect_log where event_id = $1", id(live)));
        assertEquals(1.0, mismatches("checkout.session.completed") - before);
        // The control: the same event in the key's mode granted its credits.
        assertEquals(1, db.count("select count(*) from credit_ledger where account_id = $1", testAccount));
    }

    @Test
    void liveModeSubscriptionGivesNoPlan() {
        long now = System.currentTimeMillis() / 1000;
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String subscription = StripeEvents.newId("sub");
        double before = mismatches("customer.subscription.created");
        ObjectNode customerCreated = StripeEvents.event("customer.created", StripeObjects.customer(customer, account),
                now - 1).put("livemode", true);
        ObjectNode created = StripeEvents.event("customer.subscription.created",
                StripeObjects.subscription(subscription, customer, "active", now, now + 30 * 86_400), now)
                .put("livemode", true);

        Webhooks.deliver(customerCreated).then().statusCode(200);
        Webhooks.deliver(created).then().statusCode(200);

        assertEquals("ignored", Inbox.awaitProcessed(db, id(customerCreated)));
        assertEquals("ignored", Inbox.awaitProcessed(db, id(created)));
        assertEquals(0, db.count("select count(*) from stripe_customer where id = $1", customer));
        assertEquals(0, db.count("select count(*) from stripe_subscription where id = $1", subscription));
        assertEquals(1.0, mismatches("customer.subscription.created") - before);
    }

    private static ObjectNode packPurchase(String account) {
        ObjectNode session = StripeObjects.checkoutSession(StripeEvents.newId("cs"), "cus_" + account, account,
                "payment", "paid");
        session.put("payment_intent", StripeEvents.newId("pi")).put("amount_total", 500);
        session.putObject("metadata").put("account_id", account).put("pack", "small").put("quantity", "1");
        return StripeEvents.event("checkout.session.completed", session, System.currentTimeMillis() / 1000);
    }

    private double mismatches(String type) {
        Counter counter = registry.find("tollgate.webhook.events.livemode.mismatch").tag("type", type).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String id(ObjectNode event) {
        return event.path("id").asText();
    }
}
