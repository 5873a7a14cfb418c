package dev.tollgate.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** customer.subscription.trial_will_end becomes one subscription.trial_ending callback per trial end. */
@QuarkusTest
@WithTestResource(value = CallbackReceiver.class, scope = TestResourceScope.GLOBAL)
class TrialEndingCallbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Db db;

    @Test
    void theTrialEndingIsCalledBackOnceHoweverOftenStripeSaysSo() throws Exception {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String subscriptionId = StripeEvents.newId("sub");
        long now = System.currentTimeMillis() / 1000;
        long trialEnd = now + 3 * 86_400;
        ObjectNode trialing = StripeObjects.subscription(subscriptionId, customer, "trialing", now - 11 * 86_400L,
                trialEnd);
        trialing.put("trial_start", now - 11 * 86_400L).put("trial_end", trialEnd);
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created", trialing, now));

        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.trial_will_end", trialing, now + 1));
        // Stripe may send it again under a new event id; the callback stays one.
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.trial_will_end", trialing, now + 2));

        assertEquals(1L, db.value("select count(*) from callback_outbox where account_id = $1 and type = $2", account,
                TrialEndingCallbacks.TYPE));
        JsonNode data = JSON.readTree(String.valueOf(db.value(
                "select data::text from callback_outbox where account_id = $1 and type = $2", account,
                TrialEndingCallbacks.TYPE)));
        assertEquals(subscriptionId, data.path("subscription_id").asText());
        assertEquals(customer, data.path("customer_id").asText());
        assertEquals("trialing", data.path("status").asText());
        assertEquals(trialEnd, data.path("trial_end").asLong());
        assertEquals("price_pro_monthly", data.path("price_id").asText());
    }

    @Test
    void otherSubscriptionEventsAreNotATrialEnding() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        long now = System.currentTimeMillis() / 1000;
        ObjectNode trialing = StripeObjects.subscription(StripeEvents.newId("sub"), customer, "trialing", now,
                now + 14 * 86_400L);
        trialing.put("trial_start", now).put("trial_end", now + 14 * 86_400L);
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created", trialing, now));

        assertEquals(0L, db.value("select count(*) from callback_outbox where account_id = $1 and type = $2", account,
                TrialEndingCallbacks.TYPE));
        assertEquals(1L, db.value("select count(*) from callback_outbox where account_id = $1 and type = $2", account,
                "subscription.activated"), "callbacks are on in this test, so the zero above means something");
    }

}
