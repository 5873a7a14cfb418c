package dev.tollgate.reconciliation;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.Metrics;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeListStubs;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The drift check finds a subscription whose cancellation was never delivered, repairs it, and says so. */
@QuarkusTest
@WithTestResource(value = StripeStub.class, scope = TestResourceScope.GLOBAL)
class DriftCheckTest {

    @Inject
    Db db;

    private final StripeListStubs stubs = new StripeListStubs();

    @AfterEach
    void removeStubs() {
        stubs.removeAll();
    }

    @Test
    void locallyWrongSubscriptionIsRepairedAndCounted() {
        long t = System.currentTimeMillis() / 1000 - 86_400;
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String wrong = StripeEvents.newId("sub");
        String right = StripeEvents.newId("sub");
        ObjectNode wrongLocally = StripeObjects.subscription(wrong, customer, "active", t, t + 30 * 86_400);
        ObjectNode rightLocally = StripeObjects.subscription(right, customer, "active", t, t + 30 * 86_400);
        Webhooks.deliverAndAwaitApplied(db, List.of(
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), t),
                StripeEvents.event("customer.subscription.created", wrongLocally.deepCopy(), t),
                StripeEvents.event("customer.subscription.created", rightLocally.deepCopy(), t)));
        // Stripe canceled one of them; that webhook never arrived.
        long canceledAt = t + 3600;
        ObjectNode atStripe = wrongLocally.deepCopy().put("status", "canceled").put("canceled_at", canceledAt)
                .put("ended_at", canceledAt);
        stubs.answer(get(urlEqualTo("/v1/subscriptions/" + wrong)), 200, atStripe.toString());
        stubs.answer(get(urlEqualTo("/v1/subscriptions/" + right)), 200, rightLocally.toString());
        // Other tests' subscriptions are unknown to this stub: Stripe's 404.
        stubs.missingByDefault("/v1/subscriptions/", "No such subscription");
        double repairedBefore = Metrics.value("tollgate_drift_subscriptions_repaired_total");

        JsonPath result = given().auth().oauth2(TestTokens.admin()).post("/v1/admin/reconciliation/drift").then()
                .statusCode(200).extract().jsonPath();

        List<Map<String, Object>> differences = result.getList("differences");
        Map<String, Object> found = differences.stream().filter(d -> wrong.equals(d.get("subscription_id")))
                .findFirst().orElseThrow(() -> new AssertionError("not reported: " + differences));
        assertTrue(((List<?>) found.get("fields")).containsAll(List.of("status", "canceled_at", "ended_at")));
        assertEquals(true, found.get("repaired"));
        assertFalse(differences.stream().anyMatch(d -> right.equals(d.get("subscription_id"))));
        assertEquals("canceled", db.value("select status from stripe_subscription where id = $1", wrong));
        assertEquals("active", db.value("select status from stripe_subscription where id = $1", right));
        int differing = result.getInt("differing");
        assertEquals(1, differing, "only the subscription canceled behind our back differs");
        assertEquals(differing, (int) Metrics.value("tollgate_drift_subscriptions_differing"));
        assertEquals(result.getInt("repaired"),
                (int) (Metrics.value("tollgate_drift_subscriptions_repaired_total") - repairedBefore));
        assertEquals((long) differing,
                db.value("select differing from drift_check order by id desc limit 1") instanceof Integer i ? (long) i : -1L);

        // Repaired, and canceled is final: a second check finds nothing wrong with either.
        JsonPath again = given().auth().oauth2(TestTokens.admin()).post("/v1/admin/reconciliation/drift").then()
                .statusCode(200).extract().jsonPath();
        assertFalse(again.getList("differences.subscription_id").contains(wrong));
        assertFalse(again.getList("differences.subscription_id").contains(right));
    }

    @Test
    void sampleChecksExactlyThatManyOrAllThereAreAndRefusesNonsense() {
        long t = System.currentTimeMillis() / 1000 - 86_400;
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        ObjectNode first = StripeObjects.subscription(StripeEvents.newId("sub"), customer, "active", t, t + 30 * 86_400);
        ObjectNode second = StripeObjects.subscription(StripeEvents.newId("sub"), customer, "active", t,
                t + 30 * 86_400);
        Webhooks.deliverAndAwaitApplied(db, List.of(
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), t),
                StripeEvents.event("customer.subscription.created", first.deepCopy(), t),
                StripeEvents.event("customer.subscription.created", second.deepCopy(), t)));
        stubs.answer(get(urlEqualTo("/v1/subscriptions/" + first.path("id").asText())), 200, first.toString());
        stubs.answer(get(urlEqualTo("/v1/subscriptions/" + second.path("id").asText())), 200, second.toString());
        stubs.missingByDefault("/v1/subscriptions/", "No such subscription");
        long live = db.count("select count(*) from stripe_subscription"
                + " where status not in ('canceled', 'incomplete_expired')");
        assertTrue(live >= 2, "this test's two subscriptions are live: " + live);

        JsonPath one = drift("?sample=1", 200);
        assertEquals(1, one.getInt("sample"));
        assertEquals(1, one.getInt("checked"), "a sample of one checks exactly one of the " + live);
        assertEquals(0, one.getInt("differing"), "nothing differs: ours match Stripe, the others are unknown to it");
        assertEquals(0, one.getInt("failed"));
        assertEquals(Map.of("sample", 1, "checked", 1), db.one("select sample, checked from drift_check"
                + " order by id desc limit 1"));

        JsonPath more = drift("?sample=" + (live + 5), 200);
        assertEquals(live + 5, more.getInt("sample"));
        assertEquals(live, more.getInt("checked"), "a sample larger than there are checks all there are");
        assertEquals(live - 2, more.getInt("missing"), "every other test's subscription is unknown to this Stripe");
        assertEquals(0, more.getInt("differing"));

        drift("?sample=0", 400);
        drift("?sample=-3", 400);
        assertEquals(live + 5, ((Number) db.value("select sample from drift_check order by id desc limit 1"))
                .longValue(), "a refused check is not recorded");
    }

    private static JsonPath drift(String query, int status) {
        var answer = given().auth().oauth2(TestTokens.admin()).post("/v1/admin/reconciliation/drift" + query).then()
                .statusCode(status);
        if (status != 200) {
            answer.contentType("application/problem+json");
        }
        return answer.extract().jsonPath();
    }
}
