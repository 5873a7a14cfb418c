package dev.tollgate.webhook.inbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Barriers;
import dev.tollgate.testing.Db;
import dev.tollgate.testing.EffectProbe;
import dev.tollgate.testing.Inbox;
import dev.tollgate.testing.Management;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The inbox: stored once, acknowledged, applied once; unknown types ignored; failures parked and replayed. */
@QuarkusTest
class WebhookInboxTest {

    @Inject
    Db db;

    @Test
    void unknownEventTypeIsStoredAcknowledgedAndIgnored() {
        ObjectNode object = StripeObjects.customer("cus_unknown", "acct-unknown");
        object.put("object", "tax.calculation");
        ObjectNode event = StripeEvents.event("tax.calculation.created", object, now());
        Webhooks.deliver(event).then().statusCode(200).body("received", equalTo(true));

        assertEquals("ignored", Inbox.awaitProcessed(db, id(event)));
        assertEquals(0, db.count("select count(*) from test_effect_log where event_id = $1", id(event)));
    }

    @Test
    void duplicateDeliveriesRacingEachOtherAreStoredAndAppliedOnce() throws Exception {
        String customerId = StripeEvents.newId("cus");
        ObjectNode event = StripeEvents.event("customer.created", StripeObjects.customer(customerId, "acct-dup"),
                now());
        String payload = event.toString();
        int copies = 8;
        CyclicBarrier start = new CyclicBarrier(copies);
        List<CompletableFuture<Response>> posts = IntStream.range(0, copies)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    Barriers.await(start);
                    return Webhooks.deliverRaw(payload, StripeEvents.sign(payload, Webhooks.SECRET));
                })).toList();

        long firstDeliveries = posts.stream().map(CompletableFuture::join)
                .peek(r -> assertEquals(200, r.statusCode()))
                .filter(r -> !r.jsonPath().getBoolean("duplicate")).count();
        assertEquals(1, firstDeliveries, "exactly one delivery is the first, the others are duplicates");

        assertEquals("applied", Inbox.awaitProcessed(db, id(event)));
        assertEquals(1, db.count("select count(*) from stripe_event where id = $1", id(event)));
        Webhooks.deliver(event).then().statusCode(200).body("duplicate", equalTo(true));
        // A later event of the same customer is applied after anything the duplicate could have caused:
        // once it is applied, a second (wrong) application of the first would already be in the log.
        ObjectNode later = StripeEvents.event("customer.updated", StripeObjects.customer(customerId, "acct-dup"),
                now() + 1);
        Webhooks.deliverAndAwaitApplied(db, later);
        assertEquals(1, db.count("select count(*) from test_effect_log where event_id = $1", id(event)));
        assertEquals(1, db.count("select count(*) from test_effect_log where event_id = $1", id(later)));
        assertEquals(1, db.count("select count(*) from stripe_event where id = $1", id(event)));
    }

    @Test
    void eventOfAnotherApiVersionIsAppliedAndCounted() {
        String customerId = StripeEvents.newId("cus");
        ObjectNode event = StripeEvents.event("customer.created", StripeObjects.customer(customerId, "acct-old"),
                now());
        event.put("api_version", "2023-10-16");
        Webhooks.deliver(event).then().statusCode(200);

        assertEquals("applied", Inbox.awaitProcessed(db, id(event)));
        assertEquals("2023-10-16", db.value("select api_version from stripe_event where id = $1", id(event)));
        assertEquals(1, db.count("select count(*) from stripe_customer where id = $1", customerId));
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("tollgate_webhook_api_version_mismatch_total{api_version=\"2023-10-16\"}"));
    }

    @Test
    void failingHandlerRetriesThenParksAndReplayAppliesItAfterTheFix() {
        EffectProbe.breakIt();
        String customerId = StripeEvents.newId("cus");
        ObjectNode customer = StripeObjects.customer(customerId, "acct-broken");
        ((ObjectNode) customer.path("metadata")).put(EffectProbe.FAIL_MARK, "until_fixed");
        ObjectNode event = StripeEvents.event("customer.created", customer, now());
        Webhooks.deliver(event).then().statusCode(200);

        assertEquals("failed", Inbox.awaitProcessed(db, id(event)));
        var parked = db.one("select attempts, last_error from stripe_event where id = $1", id(event));
        assertEquals(3, parked.get("attempts"), "max-attempts in the test profile");
        assertTrue(String.valueOf(parked.get("last_error")).contains("handler broken"));
        assertEquals(0, db.count("select count(*) from stripe_customer where id = $1", customerId),
                "a failed application leaves no partial mirror row");

        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/events?status=failed&type=customer.created")
                .then().statusCode(200).body("items.id", org.hamcrest.Matchers.hasItem(id(event)));

        EffectProbe.fix();
        given().auth().oauth2(TestTokens.admin()).post("/v1/admin/events/" + id(event) + "/replay").then()
                .statusCode(200).body("status", equalTo("pending"));

        assertEquals("applied", Inbox.awaitProcessed(db, id(event)));
        assertEquals(1, db.count("select count(*) from stripe_customer where id = $1", customerId));
        assertEquals(1, db.count("select count(*) from test_effect_log where event_id = $1", id(event)));
    }

    @Test
    void adminInboxApiShowsOneEventWithItsPayload() {
        ObjectNode event = StripeEvents.event("customer.created",
                StripeObjects.customer(StripeEvents.newId("cus"), "acct-show"), now());
        Webhooks.deliver(event).then().statusCode(200);
        Inbox.awaitProcessed(db, id(event));

        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/events/" + id(event)).then().statusCode(200)
                .body("event.status", equalTo("applied"))
                .body("payload.data.object.metadata.account_id", equalTo("acct-show"));
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/events/evt_missing").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).post("/v1/admin/events/evt_missing/replay").then().statusCode(404);
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/events?status=weird").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("status must be one of"));
    }

    @Test
    void adminInboxApiRefusesUserServiceAndAnonymousCallers() {
        given().auth().oauth2(TestTokens.user("acct-1")).get("/v1/admin/events").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.service()).post("/v1/admin/events/replay-failed").then().statusCode(403);
        given().get("/v1/admin/events").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("not-a-jwt").get("/v1/admin/events").then().statusCode(401);
    }

    @Test
    void healthAndMetricsAreExposed() {
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/health/started").then().statusCode(200);
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItem("webhook-inbox"));
        Webhooks.deliverRaw("{}", "t=1,v1=00").then().statusCode(400);
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("tollgate_webhook_events_rejected_total{reason=\"malformed-header\"}"))
                .body(containsString("tollgate_webhook_inbox_pending"))
                .body(containsString("tollgate_webhook_inbox_oldest_pending_age_seconds"))
                .body(containsString("tollgate_webhook_ack_seconds_count"));
    }

    private static String id(ObjectNode event) {
        return event.path("id").asText();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
