package dev.tollgate.admin.subscriptions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The subscription report over seeded subscriptions. The database is shared with other tests, so counts
 * are compared as the difference the seeded subscriptions make.
 */
@QuarkusTest
class SubscriptionReportTest {

    private static final long DAY = 86_400;

    @Inject
    Db db;

    @Test
    void countsRenewalsPastDueAndGraceExpiryMatchTheSeededSubscriptions() {
        JsonPath before = report(7);
        long now = System.currentTimeMillis() / 1000;
        Seeded renewsSoon = seed("active", now - 27 * DAY, now + 3 * DAY);
        Seeded renewsLater = seed("active", now - 10 * DAY, now + 20 * DAY);
        Seeded withinGrace = seed("past_due", now - 2 * DAY, now + 28 * DAY);
        Seeded graceOver = seed("past_due", now - 10 * DAY, now + 20 * DAY);
        Seeded canceled = seed("canceled", now - 40 * DAY, now - 10 * DAY);

        JsonPath after = report(7);
        assertEquals(2, delta(before, after, "by_status.active"));
        assertEquals(2, delta(before, after, "by_status.past_due"));
        assertEquals(1, delta(before, after, "by_status.canceled"));
        assertEquals(4, delta(before, after, "by_plan.pro.live"), "canceled subscriptions are not live");
        assertEquals(5, delta(before, after, "by_plan.pro.by_status.active") + delta(before, after,
                "by_plan.pro.by_status.past_due") + delta(before, after, "by_plan.pro.by_status.canceled"));
        assertEquals(1, delta(before, after, "renewals.count"));

        List<String> renewals = after.getList("renewals.items.subscription_id");
        assertEquals(true, renewals.contains(renewsSoon.subscription()));
        assertEquals(false, renewals.contains(renewsLater.subscription()));
        Map<String, Object> renewal = after.getMap("renewals.items.find { it.subscription_id == '"
                + renewsSoon.subscription() + "' }");
        assertEquals(renewsSoon.account(), renewal.get("account"));
        assertEquals("pro", renewal.get("plan"));

        Map<String, Object> overdue = after.getMap("past_due.find { it.subscription_id == '"
                + graceOver.subscription() + "' }");
        assertEquals(graceOver.account(), overdue.get("account"));
        assertEquals(true, overdue.get("grace_expired"));
        Map<String, Object> recent = after.getMap("past_due.find { it.subscription_id == '"
                + withinGrace.subscription() + "' }");
        assertEquals(false, recent.get("grace_expired"));
        assertEquals(true, after.getBoolean("grace_expiry.dry_run"));
        assertEquals(1, delta(before, after, "grace_expiry.within_grace"));
        List<String> losing = after.getList("grace_expiry.would_lose_access.account");
        assertEquals(true, losing.contains(graceOver.account()));
        assertEquals(false, losing.contains(withinGrace.account()));

        // A dry run: nothing changed, and entitlements already answer the same.
        assertEquals("past_due", db.value("select status from stripe_subscription where id = $1",
                graceOver.subscription()));
        given().auth().oauth2(TestTokens.user(graceOver.account())).get("/v1/billing/entitlements").then()
                .body("plan", equalTo("free"));
        given().auth().oauth2(TestTokens.user(withinGrace.account())).get("/v1/billing/entitlements").then()
                .body("plan", equalTo("pro"));
        assertEquals(false, after.getList("past_due.subscription_id").contains(canceled.subscription()));

        // A longer horizon includes the later renewal.
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/subscriptions/report?days=30").then()
                .statusCode(200).body("renewals.days", equalTo(30))
                .body("renewals.items.subscription_id", hasItem(renewsLater.subscription()))
                .body("renewals.items.subscription_id", not(hasItem(canceled.subscription())));
    }

    @Test
    void invalidParametersAreRejected() {
        for (String query : List.of("days=0", "days=367", "limit=0", "limit=1001")) {
            given().auth().oauth2(TestTokens.admin()).get("/v1/admin/subscriptions/report?" + query).then()
                    .statusCode(400).contentType("application/problem+json");
        }
    }

    private record Seeded(String account, String subscription) {
    }

    private Seeded seed(String status, long periodStart, long periodEnd) {
        String account = StripeEvents.newId("acct");
        String sub = StripeEvents.newId("sub");
        long now = System.currentTimeMillis() / 1000;
        ObjectNode subscription = StripeObjects.subscription(sub, "cus_" + account, status, periodStart, periodEnd);
        if (status.equals("canceled")) {
            subscription.put("canceled_at", periodEnd).put("ended_at", periodEnd);
        }
        for (ObjectNode event : List.of(
                StripeEvents.event("customer.created", StripeObjects.customer("cus_" + account, account), now - 60),
                StripeEvents.event("customer.subscription.created", subscription, now - 60))) {
            Webhooks.deliverAndAwaitApplied(db, event);
        }
        return new Seeded(account, sub);
    }

    private static JsonPath report(int days) {
        return given().auth().oauth2(TestTokens.admin()).get("/v1/admin/subscriptions/report?days=" + days).then()
                .statusCode(200).extract().jsonPath();
    }

    private static long delta(JsonPath before, JsonPath after, String path) {
        return number(after, path) - number(before, path);
    }

    private static long number(JsonPath json, String path) {
        Object value = json.get(path);
        return value == null ? 0 : ((Number) value).longValue();
    }
}
