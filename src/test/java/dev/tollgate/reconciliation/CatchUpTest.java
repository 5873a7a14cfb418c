package dev.tollgate.reconciliation;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.tollgate.testing.StripeListStubs.events;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.Inbox;
import dev.tollgate.testing.Metrics;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeListStubs;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import dev.tollgate.webhook.processing.HandledEventTypes;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The Events API catch-up: missed events reach the mirrors, delivered ones are not applied twice. */
@QuarkusTest
@WithTestResource(value = StripeStub.class, scope = TestResourceScope.GLOBAL)
class CatchUpTest {

    /**
     * A type of the first, the second and the last types[] chunk (each chunk is its own listing), taken from the
     * handled types themselves so that a new event type moving the chunk borders does not break the stubs.
     */
    private static final String FIRST_CHUNK = HandledEventTypes.ALL.get(0);
    private static final String SECOND_CHUNK = HandledEventTypes.ALL.get(20);
    private static final String LAST_CHUNK = HandledEventTypes.ALL.get(HandledEventTypes.ALL.size() - 1);
    private static final long OVERLAP_SECONDS = 600;

    @Inject
    Db db;

    private final StripeListStubs stubs = new StripeListStubs();

    @AfterEach
    void removeStubs() {
        stubs.removeAll();
    }

    @Test
    void missedEventsAreRecoveredAndDeliveredOnesAreNotAppliedTwice() {
        long t = System.currentTimeMillis() / 1000 - 300;
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String subscription = StripeEvents.newId("sub");
        ObjectNode delivered = StripeEvents.event("customer.created", StripeObjects.customer(customer, account), t);
        Webhooks.deliverAndAwaitApplied(db, delivered);

        ObjectNode missedSubscription = StripeEvents.event("customer.subscription.created",
                StripeObjects.subscription(subscription, customer, "active", t, t + 30 * 86_400), t + 1);
        ObjectNode missedUpdate = StripeEvents.event("customer.updated",
                StripeObjects.customer(customer, account).put("name", "Recovered"), t + 2);
        // Stripe lists newest first; the delivered event is on the second page.
        stubs.list(events(FIRST_CHUNK).withQueryParam("starting_after", absent()), "/v1/events", true, missedUpdate,
                missedSubscription);
        stubs.list(events(FIRST_CHUNK).withQueryParam("starting_after", equalTo(id(missedSubscription))),
                "/v1/events", false, delivered);
        stubs.list(events(SECOND_CHUNK), "/v1/events", false);
        stubs.list(events(LAST_CHUNK), "/v1/events", false);
        double recoveredBefore = Metrics.value("tollgate_reconciliation_events_recovered_total");

        JsonPath result = catchUp();

        assertEquals(1 + (HandledEventTypes.ALL.size() + 19) / 20, result.getInt("pages"));
        assertEquals(3, result.getInt("events_seen"));
        assertEquals(2, result.getInt("events_recovered"));
        Inbox.awaitApplied(db, id(missedSubscription));
        Inbox.awaitApplied(db, id(missedUpdate));
        assertEquals("active", db.value("select status from stripe_subscription where id = $1", subscription));
        assertEquals("Recovered", db.value("select name from stripe_customer where id = $1", customer));
        assertEquals("events_api", db.value("select source from stripe_event where id = $1", id(missedUpdate)));
        assertEquals("webhook", db.value("select source from stripe_event where id = $1", id(delivered)));
        assertEquals(2.0, Metrics.value("tollgate_reconciliation_events_recovered_total") - recoveredBefore);

        // Listing the same window again finds nothing new, and nothing is applied a second time.
        assertEquals(0, catchUp().getInt("events_recovered"));
        for (ObjectNode event : List.of(delivered, missedSubscription, missedUpdate)) {
            assertEquals(1, db.count("select count(*) from test_effect_log where event_id = $1", id(event)),
                    "applications of " + event.path("type").asText());
        }
    }

    @Test
    void recoveredEventOfTheOtherModeIsStoredButNotApplied() {
        long t = System.currentTimeMillis() / 1000 - 300;
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        ObjectNode liveEvent = StripeEvents.event("customer.created", StripeObjects.customer(customer, account), t)
                .put("livemode", true);
        stubs.list(events(FIRST_CHUNK), "/v1/events", false, liveEvent);
        stubs.list(events(SECOND_CHUNK), "/v1/events", false);
        stubs.list(events(LAST_CHUNK), "/v1/events", false);
        double before = Metrics.value("tollgate_webhook_events_livemode_mismatch_total", "type=\"customer.created\"");

        assertEquals(1, catchUp().getInt("events_recovered"));

        assertEquals("ignored", Inbox.awaitProcessed(db, id(liveEvent)));
        assertEquals("events_api", db.value("select source from stripe_event where id = $1", id(liveEvent)));
        assertTrue(((String) db.value("select last_error from stripe_event where id = $1", id(liveEvent)))
                .contains("livemode"));
        assertEquals(0, db.count("select count(*) from stripe_customer where id = $1", customer));
        double after = Metrics.value("tollgate_webhook_events_livemode_mismatch_total", "type=\"customer.created\"");
        assertEquals(1.0, after - (Double.isNaN(before) ? 0 : before));
    }

    @Test
    void everyRequestAsksForAtMostTwentyTypesAndTogetherForAllHandledOnes() {
        stubs.list(events(FIRST_CHUNK), "/v1/events", false);
        stubs.list(events(SECOND_CHUNK), "/v1/events", false);
        stubs.list(events(LAST_CHUNK), "/v1/events", false);
        int before = StripeListStubs.requests("/v1/events");

        catchUp();

        List<LoggedRequest> requests = StripeStub.server().findAll(getRequestedFor(urlPathEqualTo("/v1/events")));
        List<LoggedRequest> thisRun = requests.subList(before, requests.size());
        assertEquals((HandledEventTypes.ALL.size() + 19) / 20, thisRun.size());
        List<String> asked = thisRun.stream().flatMap(r -> r.queryParameter("types[]").values().stream()).toList();
        thisRun.forEach(r -> assertTrue(r.queryParameter("types[]").values().size() <= 20));
        assertEquals(HandledEventTypes.ALL.stream().sorted().toList(), asked.stream().sorted().toList());
    }

    @Test
    void cursorIsPersistedAndTheNextRunStartsOneOverlapBeforeIt() {
        stubs.list(events(FIRST_CHUNK), "/v1/events", false);
        stubs.list(events(SECOND_CHUNK), "/v1/events", false);
        stubs.list(events(LAST_CHUNK), "/v1/events", false);
        double okBefore = Metrics.value("tollgate_reconciliation_runs_total", "outcome=\"ok\"");

        catchUp();
        long cursor = (Long) db.value("select cursor_at from reconciliation_cursor where name = 'events'");
        int before = StripeListStubs.requests("/v1/events");
        catchUp();

        List<LoggedRequest> requests = StripeStub.server().findAll(getRequestedFor(urlPathEqualTo("/v1/events")));
        List<LoggedRequest> secondRun = requests.subList(before, requests.size());
        assertEquals((HandledEventTypes.ALL.size() + 19) / 20, secondRun.size());
        secondRun.forEach(r -> assertEquals(Long.toString(cursor - OVERLAP_SECONDS),
                r.queryParameter("created[gte]").firstValue()));
        String shown = given().auth().oauth2(TestTokens.admin()).get("/v1/admin/reconciliation/catch-up").then()
                .statusCode(200).extract().path("cursor");
        assertEquals(db.value("select cursor_at from reconciliation_cursor where name = 'events'"),
                OffsetDateTime.parse(shown).toEpochSecond());
        double age = Metrics.value("tollgate_reconciliation_cursor_age_seconds");
        assertTrue(age >= 0 && age < 60, "cursor age " + age);
        assertEquals(2.0, Metrics.value("tollgate_reconciliation_runs_total", "outcome=\"ok\"") - okBefore);
    }

    @Test
    void failedRunLeavesTheCursorWhereItWas() {
        stubs.list(events(FIRST_CHUNK), "/v1/events", false);
        stubs.list(events(SECOND_CHUNK), "/v1/events", false);
        stubs.list(events(LAST_CHUNK), "/v1/events", false);
        catchUp();
        long cursor = (Long) db.value("select cursor_at from reconciliation_cursor where name = 'events'");
        stubs.error(events(SECOND_CHUNK), 500, "api_error", "Stripe is having a bad day");
        double errorsBefore = Metrics.value("tollgate_reconciliation_runs_total", "outcome=\"error\"");

        given().auth().oauth2(TestTokens.admin()).post("/v1/admin/reconciliation/catch-up").then().statusCode(502)
                .contentType("application/problem+json");

        assertEquals(cursor, db.value("select cursor_at from reconciliation_cursor where name = 'events'"));
        assertEquals(1.0, Metrics.value("tollgate_reconciliation_runs_total", "outcome=\"error\"") - errorsBefore);
    }

    private static JsonPath catchUp() {
        return given().auth().oauth2(TestTokens.admin()).post("/v1/admin/reconciliation/catch-up").then()
                .statusCode(200).extract().jsonPath();
    }

    private static String id(JsonNode event) {
        return event.path("id").asText();
    }
}
