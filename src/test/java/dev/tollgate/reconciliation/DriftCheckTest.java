package dev.tollgate.reconciliation;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
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
import dev.tollgate.testing.Inbox;
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
        for (ObjectNode event : List.of(
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), t),
                StripeEvents.event("customer.subscription.created", wrongLocally.deepCopy(), t),
                StripeEvents.event("customer.subscription.created", rightLocally.deepCopy(), t))) {
            Webhooks.deliver(event).then().statusCode(200);
            assertEquals("applied", Inbox.awaitProcessed(db, event.path("id").asText()));
        }
        // Stripe canceled one of them; that webhook never arrived.
        long canceledAt = t + 3600;
        ObjectNode atStripe = wrongLocally.deepCopy().put("status", "canceled").put("canceled_at", canceledAt)
                .put("ended_at", canceledAt);
        stubs.answer(get(urlEqualTo("/v1/subscriptions/" + wrong)), 200, atStripe.toString());
        stubs.answer(get(urlEqualTo("/v1/subscriptions/" + right)), 200, rightLocally.toString());
        // Other tests' subscriptions are unknown to this stub: Stripe's 404.
        stubs.error(get(urlPathMatching("/v1/subscriptions/.*")).atPriority(10), 404, "invalid_request_error",
                "No such subscription");
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
        assertTrue(differing >= 1);
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
    void sampleChecksAtMostThatManyAndRefusesNonsense() {
        stubs.error(get(urlPathMatching("/v1/subscriptions/.*")).atPriority(10), 404, "invalid_request_error",
                "No such subscription");
        given().auth().oauth2(TestTokens.admin()).post("/v1/admin/reconciliation/drift?sample=1").then()
                .statusCode(200).body("checked", lessThanOrEqualTo(1))
                .body("sample", equalTo(1));
        given().auth().oauth2(TestTokens.admin()).post("/v1/admin/reconciliation/drift?sample=0").then()
                .statusCode(400).contentType("application/problem+json");
    }
}
