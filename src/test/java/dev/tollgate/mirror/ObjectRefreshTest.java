package dev.tollgate.mirror;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeListStubs;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two versions of one object in the same second that nothing can order: the first is kept, the object
 * is queued, and with a Stripe key the refresher re-reads it from Stripe and stores Stripe's answer.
 */
@QuarkusTest
@WithTestResource(value = StripeStub.class, scope = TestResourceScope.GLOBAL)
class ObjectRefreshTest {

    private static final long T = 1_790_000_000L;
    /**
     * Stripe answers this slowly, so the queued row outlives the application of the tying event by at
     * least this long (the refresher removes it only after Stripe's answer) and can be seen.
     */
    private static final int STRIPE_DELAY_MILLIS = 1500;

    @Inject
    Db db;

    private final StripeListStubs stubs = new StripeListStubs();

    @AfterEach
    void removeStubs() {
        stubs.removeAll();
    }

    @Test
    void indistinguishableSameSecondVersionsAreSettledByReadingStripe() {
        String customerId = StripeEvents.newId("cus");
        String path = "/v1/customers/" + customerId;
        ObjectNode truth = StripeObjects.customer(customerId, "acct-tie").put("name", "Second");
        stubs.answer(get(urlEqualTo(path)), 200, truth.toString(), STRIPE_DELAY_MILLIS);
        ObjectNode first = StripeEvents.event("customer.updated",
                StripeObjects.customer(customerId, "acct-tie").put("name", "First"), T);

        Webhooks.deliverAndAwaitApplied(db, List.of(first, StripeEvents.event("customer.updated", truth.deepCopy(), T)));

        // The tie: the first version stays, and the object is queued for a re-read.
        assertEquals(Map.of("name", "First", "version_created", T, "version_event_id", first.path("id").asText()),
                db.one("select name, version_created, version_event_id from stripe_customer where id = $1",
                        customerId));
        assertEquals(1, db.count("select count(*) from object_refresh where object_type = 'customer'"
                + " and object_id = $1", customerId), "the tie is queued for a re-read");

        await().atMost(Duration.ofSeconds(30)).until(() -> db.count(
                "select count(*) from object_refresh where object_id = $1", customerId) == 0);
        StripeStub.server().verify(exactly(1), getRequestedFor(urlEqualTo(path)));
        var settled = db.one("select name, version_created from stripe_customer where id = $1", customerId);
        assertEquals("Second", settled.get("name"), "Stripe's answer is stored");
        assertTrue((Long) settled.get("version_created") > T,
                "stamped with the time it was read, later than the tied events: " + settled);
    }

    @Test
    void objectGoneAtStripeIsDequeuedAndKeepsItsState() {
        String customerId = StripeEvents.newId("cus");
        String path = "/v1/customers/" + customerId;
        stubs.answer(get(urlEqualTo(path)), 404, "{\"error\":{\"type\":\"invalid_request_error\","
                + "\"code\":\"resource_missing\",\"message\":\"No such customer\"}}", STRIPE_DELAY_MILLIS);
        ObjectNode first = StripeEvents.event("customer.updated",
                StripeObjects.customer(customerId, "acct-gone").put("name", "A"), T);
        ObjectNode second = StripeEvents.event("customer.updated",
                StripeObjects.customer(customerId, "acct-gone").put("name", "B"), T);

        Webhooks.deliverAndAwaitApplied(db, List.of(first, second));

        assertEquals(1, db.count("select count(*) from object_refresh where object_type = 'customer'"
                + " and object_id = $1", customerId), "the tie is queued for a re-read");
        Map<String, Object> before = db.one("select name, version_created, version_event_id, raw from stripe_customer"
                + " where id = $1", customerId);
        assertEquals("A", before.get("name"));
        assertEquals(first.path("id").asText(), before.get("version_event_id"));

        await().atMost(Duration.ofSeconds(30)).until(() -> db.count(
                "select count(*) from object_refresh where object_id = $1", customerId) == 0);
        StripeStub.server().verify(exactly(1), getRequestedFor(urlEqualTo(path)));
        assertEquals(before, db.one("select name, version_created, version_event_id, raw from stripe_customer"
                + " where id = $1", customerId), "a 404 leaves the stored version as it was");
    }
}
