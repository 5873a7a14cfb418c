package dev.tollgate.entitlements;

import static dev.tollgate.testing.Webhooks.deliverAndAwaitApplied;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Entitlements are served from memory and invalidated by the database's change notifications: a
 * change made behind the notifications' back is not seen (the answer really comes from the cache),
 * while every real change (a webhook, a consumption, a customer mapped late) is seen at once.
 */
@QuarkusTest
@TestProfile(EntitlementsCacheTest.Cached.class)
class EntitlementsCacheTest {

    public static class Cached implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.entitlements.cache-ttl", "10m");
        }
    }

    @Inject
    Db db;

    @Test
    void cachedStateIsServedUntilAChangeIsAnnounced() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        long now = System.currentTimeMillis() / 1000;
        deliverAndAwaitApplied(db, StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now));
        deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created", StripeObjects.subscription(
                StripeEvents.newId("sub"), customer, "active", now, now + 2_592_000), now));
        entitlements(account, "plan", "pro");

        // Behind the triggers' back (no notification): the cached answer stands.
        db.execute("do $$ begin perform set_config('session_replication_role', 'replica', true);"
                + " update stripe_subscription set status = 'canceled' where customer_id = '" + customer + "'; end $$");
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/entitlements").then().statusCode(200)
                .body("plan", equalTo("pro")).body("subscription_status", equalTo("active"));

        // A real change is announced and seen.
        ObjectNode canceled = StripeObjects.subscription(StripeEvents.newId("sub"), customer, "canceled", now,
                now + 2_592_000);
        deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.deleted", canceled, now + 1));
        entitlements(account, "subscription_status", "canceled");
    }

    @Test
    void creditsAndALateCustomerMappingInvalidateToo() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        long now = System.currentTimeMillis() / 1000;
        entitlements(account, "plan", "free");
        // The subscription arrives before the customer that names the account.
        deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created", StripeObjects.subscription(
                StripeEvents.newId("sub"), customer, "active", now, now + 2_592_000), now));
        deliverAndAwaitApplied(db, StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now));
        entitlements(account, "plan", "pro");

        db.execute("insert into credit_balance (account_id, balance) values ($1, 70)", account);
        entitlements(account, "credits", 70);
    }

    /**
     * Waits for the answer. The cache lives 10 minutes here, so seeing a change within this deadline proves
     * it was invalidated; the deadline leaves room for the first request after the profile's restart, which
     * took more than 5 s on a loaded machine.
     */
    private static void entitlements(String account, String field, Object expected) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TestTokens.user(account))
                .get("/v1/billing/entitlements").then().statusCode(200).body(field, equalTo(expected)));
    }
}
