package dev.tollgate.mirror;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.Inbox;
import dev.tollgate.testing.StripeEvents;
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

    @Inject
    Db db;

    @Test
    void indistinguishableSameSecondVersionsAreSettledByReadingStripe() {
        String customerId = StripeEvents.newId("cus");
        ObjectNode truth = StripeObjects.customer(customerId, "acct-tie").put("name", "Second");
        StripeStub.server().stubFor(get(urlEqualTo("/v1/customers/" + customerId)).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(truth.toString())));

        List<ObjectNode> events = List.of(
                StripeEvents.event("customer.updated", StripeObjects.customer(customerId, "acct-tie").put("name",
                        "First"), T),
                StripeEvents.event("customer.updated", truth.deepCopy(), T));
        for (ObjectNode event : events) {
            Webhooks.deliver(event).then().statusCode(200);
            assertEquals("applied", Inbox.awaitProcessed(db, event.path("id").asText()));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> "Second".equals(
                db.value("select name from stripe_customer where id = $1", customerId)));
        await().atMost(Duration.ofSeconds(5)).until(() -> db.count(
                "select count(*) from object_refresh where object_id = $1", customerId) == 0);
        StripeStub.server().verify(getRequestedFor(urlEqualTo("/v1/customers/" + customerId)));
    }

    @Test
    void objectGoneAtStripeIsDequeuedAndKeepsItsState() {
        String customerId = StripeEvents.newId("cus");
        StripeStub.server().stubFor(get(urlEqualTo("/v1/customers/" + customerId)).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"resource_missing\","
                        + "\"message\":\"No such customer\"}}")));
        for (String name : List.of("A", "B")) {
            ObjectNode event = StripeEvents.event("customer.updated",
                    StripeObjects.customer(customerId, "acct-gone").put("name", name), T);
            Webhooks.deliver(event).then().statusCode(200);
            Inbox.awaitProcessed(db, event.path("id").asText());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> db.count(
                "select count(*) from object_refresh where object_id = $1", customerId) == 0);
        assertEquals("A", db.value("select name from stripe_customer where id = $1", customerId));
    }
}
