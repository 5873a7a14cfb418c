package dev.tollgate.usage;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.tollgate.testing.Barriers;
import dev.tollgate.testing.Db;
import dev.tollgate.testing.MeteredAccounts;
import dev.tollgate.testing.MeteredPlanProfile;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Usage stored first and answered once stored, once per key; delivered to Stripe as meter events with the
 * exact parameters, exactly once per record even when Stripe fails first; summed per period from Tollgate's
 * records; credits plus overage exact under racing consumers.
 */
@QuarkusTest
@TestProfile(MeteredPlanProfile.class)
class UsageTest {

    private static final String SESSION_PATH = "/v2/billing/meter_event_session";
    private static final String STREAM_PATH = "/v2/billing/meter_event_stream";
    private static final String SESSION_TOKEN = "mes_token_test";
    private static final String RENEWED_TOKEN = "mes_token_renewed";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Db db;

    @Inject
    UsageSender sender;

    private String account;
    private String customer;
    private long periodStart;
    private List<StubMapping> stubs;

    @BeforeEach
    void meteredSubscription() {
        MeteredAccounts.MeteredAccount metered = MeteredAccounts.subscribe(db);
        account = metered.account();
        customer = metered.customer();
        periodStart = metered.periodStart();
        stubs = new ArrayList<>(List.of(stubSession(SESSION_TOKEN, null, 5), stubStream(null, 200, null, 5)));
    }

    @AfterEach
    void removeStubs() {
        stubs.forEach(StripeStub.server()::removeStub);
    }

    @Test
    void usageIsStoredOncePerKeyAndAnotherBodyWithTheKeyIsAConflict() {
        String token = TestTokens.user(account);
        String id = record(token, "api-calls", 7, "req-1", null, null).then().statusCode(201)
                .body("id", startsWith("tgu_")).body("meter", equalTo("api-calls")).body("value", equalTo(7))
                .body("repeated", equalTo(false)).extract().path("id");
        record(token, "api-calls", 7, "req-1", null, null).then().statusCode(200).body("id", equalTo(id))
                .body("repeated", equalTo(true));
        record(token, "api-calls", 8, "req-1", null, null).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tollgate.dev/problems/idempotency-key-reused"));

        assertEquals(1, db.count("select count(*) from usage_record where account_id = $1", account));
    }

    @Test
    void invalidUsageIsRefusedWithAProblem() {
        String token = TestTokens.user(account);
        long now = System.currentTimeMillis() / 1000;
        expectProblem(record(token, "storage", 1, "k", null, null), "unknown-meter");
        expectProblem(record(token, "api-calls", 0, "k", null, null), "invalid-value");
        expectProblem(record(token, "api-calls", 1_000_000_001L, "k", null, null), "invalid-value");
        expectProblem(record(token, "api-calls", 1, "", null, null), "invalid-idempotency-key");
        expectProblem(record(token, "api-calls", 1, "k", now + 3600, null), "invalid-timestamp");
        expectProblem(record(token, "api-calls", 1, "k", now - 36 * 86_400, null), "invalid-timestamp");
        // An account on the free plan has no meters at all.
        expectProblem(record(TestTokens.user(StripeEvents.newId("acct")), "api-calls", 1, "k", null, null),
                "unknown-meter");
        assertEquals(0, db.count("select count(*) from usage_record where account_id = $1", account));
    }

    @Test
    void usersRecordOnlyTheirOwnUsageAndServicesAnyAccounts() {
        record(TestTokens.user(StripeEvents.newId("acct")), "api-calls", 1, "k", null, account).then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.user(StripeEvents.newId("acct"))).queryParam("account", account)
                .get("/v1/billing/usage").then().statusCode(403);
        record(TestTokens.service(), "api-calls", 1, "k", null, null).then().statusCode(400)
                .body("type", equalTo("https://tollgate.dev/problems/account-required"));
        record(TestTokens.service(), "api-calls", 3, "svc-1", null, account).then().statusCode(201)
                .body("account", equalTo(account));
        assertEquals(1, db.count("select count(*) from usage_record where account_id = $1", account));
    }

    @Test
    void recordsAreSentOnTheMeterEventStreamWithASessionTokenAndTheExactEvent() throws Exception {
        long at = System.currentTimeMillis() / 1000 - 120;
        String id = record(TestTokens.user(account), "api-calls", 42, "exact-1", at, null).then().statusCode(201)
                .extract().path("id");
        awaitStatus(id, "sent");

        List<LoggedRequest> sent = streamedWith(id);
        assertEquals(1, sent.size());
        // Records of the tests before may share the request (the sender lingers to fill requests).
        assertEquals(JSON.readTree("{\"event_name\":\"" + MeteredPlanProfile.EVENT_NAME + "\",\"identifier\":\"" + id
                + "\",\"payload\":{\"stripe_customer_id\":\"" + customer + "\",\"value\":\"42\"},\"timestamp\":\""
                + Instant.ofEpochSecond(at) + "\"}"), eventIn(sent.get(0), id));
        // A session's token (which one depends on the tests before: the instance keeps its session), never the key.
        assertTrue(List.of("Bearer " + SESSION_TOKEN, "Bearer " + RENEWED_TOKEN)
                .contains(sent.get(0).getHeader("Authorization")), sent.get(0).getHeader("Authorization"));
        assertTrue(sent.get(0).getHeader("Content-Type").startsWith("application/json"));
        // The session itself is created with the secret key, on the API host.
        List<LoggedRequest> sessions = StripeStub.server().findAll(postRequestedFor(urlEqualTo(SESSION_PATH)));
        assertFalse(sessions.isEmpty());
        assertTrue(sessions.get(0).getHeader("Authorization").startsWith("Bearer sk_"));
        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/billing/meter_events")))
                .size());
    }

    @Test
    void stripeFailingFirstDelaysDeliveryAndEachRecordIsSentOnceWithTheSameIdentifier() throws Exception {
        stubs.add(stubStream(customer, 500, "recovered", 1));
        String id = record(TestTokens.user(account), "api-calls", 5, "down-1", null, null).then().statusCode(201)
                .extract().path("id");
        awaitStatus(id, "sent");

        List<LoggedRequest> attempts = streamedWith(id);
        assertEquals(2, attempts.size(), "one 500, then one accepted request");
        // Other tests' records may share a request (in any order), so compare this record's event in each.
        assertEquals(eventIn(attempts.get(0), id), eventIn(attempts.get(1), id),
                "the same event, with the same identifier");
        assertEquals(2, db.value("select attempts from usage_record where identifier = $1", id));
    }

    @Test
    void anExpiredSessionIsReplacedAndTheEventSentWithTheNewToken() {
        // Whatever token the instance holds is refused as expired once; the next session has another token.
        stubs.add(stubStream(customer, 401, "expired", 1));
        stubs.add(stubSession(RENEWED_TOKEN, "expired", 1));
        String id = record(TestTokens.user(account), "api-calls", 3, "expired-1", null, null).then().statusCode(201)
                .extract().path("id");
        awaitStatus(id, "sent");

        List<LoggedRequest> attempts = streamedWith(id);
        assertEquals(2, attempts.size(), "refused as expired, then sent with the new session");
        assertEquals("Bearer mes_token_renewed", attempts.get(1).getHeader("Authorization"));
        assertNotEquals(attempts.get(0).getHeader("Authorization"), attempts.get(1).getHeader("Authorization"));
    }

    @Test
    void aRequestStripeRefusesIsSplitSoOnlyTheBadEventFails() {
        stubs.add(StripeStub.server().stubFor(post(urlEqualTo(STREAM_PATH)).withRequestBody(containing("no_such_meter"))
                .atPriority(1).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"invalid_request\","
                                + "\"message\":\"No meter has event_name no_such_meter.\"}}"))));
        // Stored in one statement, so one round claims both and sends them in one request.
        db.execute("insert into usage_record (account_id, source, idempotency_key, meter, event_name, customer_id,"
                + " value, occurred_at) values ($1, 'api', 'split-good', 'api-calls', $2, $3, 1, now()),"
                + " ($1, 'api', 'split-bad', 'api-calls', 'no_such_meter', $3, 1, now())", account,
                MeteredPlanProfile.EVENT_NAME, customer);
        String good = (String) db.value("select identifier from usage_record where idempotency_key = 'split-good'"
                + " and account_id = $1", account);
        String bad = (String) db.value("select identifier from usage_record where idempotency_key = 'split-bad'"
                + " and account_id = $1", account);
        awaitStatus(good, "sent");
        awaitStatus(bad, "failed");

        assertEquals("No meter has event_name no_such_meter.",
                db.value("select last_error from usage_record where identifier = $1", bad));
        assertEquals(1, streamedWith(good).stream().filter(r -> !r.getBodyAsString().contains(bad)).count(),
                "the good event went again alone, once");
    }

    @Test
    void sendersRacingOverTheSameRecordsDeliverEachExactlyOnce() throws Exception {
        // 600 records stored at once, then four senders (replicas, in effect) plus the instance's own loop race.
        db.execute("insert into usage_record (account_id, source, idempotency_key, meter, event_name, customer_id,"
                + " value, occurred_at) select $1, 'api', 'race-send-' || n, 'api-calls', $2, $3, 1, now()"
                + " from generate_series(1, 600) n", account, MeteredPlanProfile.EVENT_NAME, customer);
        CyclicBarrier start = new CyclicBarrier(4);
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            senders.add(CompletableFuture.runAsync(() -> {
                Barriers.await(start);
                while (db.count("select count(*) from usage_record where account_id = $1 and status = 'pending'",
                        account) > 0) {
                    sender.sendDue().await().atMost(Duration.ofSeconds(30));
                }
            }));
        }
        for (CompletableFuture<Void> s : senders) {
            s.get(60, java.util.concurrent.TimeUnit.SECONDS); // a sender that never finishes fails, not hangs
        }

        Map<String, Integer> accepted = new HashMap<>();
        for (LoggedRequest request : StripeStub.server().findAll(postRequestedFor(urlEqualTo(STREAM_PATH)))) {
            for (JsonNode event : JSON.readTree(request.getBodyAsString()).path("events")) {
                accepted.merge(event.path("identifier").asText(), 1, Integer::sum);
            }
        }
        List<Map<String, Object>> rows = db.rows("select identifier from usage_record where account_id = $1",
                account);
        assertEquals(600, rows.size());
        for (Map<String, Object> row : rows) {
            assertEquals(1, accepted.getOrDefault((String) row.get("identifier"), 0), "sent once: " + row);
        }
        assertEquals(600, db.count("select count(*) from usage_record where account_id = $1 and status = 'sent'"
                + " and attempts = 1", account));
    }

    @Test
    void usageOfTheCurrentPeriodIsSummedFromTollgatesRecords() {
        String token = TestTokens.user(account);
        long now = System.currentTimeMillis() / 1000;
        record(token, "api-calls", 10, "p-1", null, null).then().statusCode(201);
        record(token, "api-calls", 15, "p-2", now - 3600, null).then().statusCode(201);
        record(token, "api-calls", 1000, "before", periodStart - 3600, null).then().statusCode(201);

        given().auth().oauth2(token).queryParam("meter", "api-calls").get("/v1/billing/usage").then()
                .statusCode(200).body("plan", equalTo("scale")).body("meters[0].meter", equalTo("api-calls"))
                .body("meters[0].total", equalTo(25)).body("meters[0].records", equalTo(2));
        given().auth().oauth2(token).queryParam("meter", "storage").get("/v1/billing/usage").then()
                .statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.user(StripeEvents.newId("acct"))).get("/v1/billing/usage").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aShortBalanceOfAnOverageFeatureBecomesUsageInsteadOfA402() {
        grant(100);
        String token = TestTokens.user(account);
        consume(token, 150, "gen-1", "generation").then().statusCode(200).body("consumed", equalTo(100))
                .body("overage", equalTo(50)).body("balance", equalTo(0)).body("repeated", equalTo(false));
        consume(token, 150, "gen-1", "generation").then().statusCode(200).body("consumed", equalTo(100))
                .body("overage", equalTo(50)).body("repeated", equalTo(true));
        consume(token, 30, "gen-2", "generation").then().statusCode(200).body("consumed", equalTo(0))
                .body("overage", equalTo(30)).body("entry_id", equalTo(null));
        consume(token, 30, "gen-2", "generation").then().statusCode(200).body("overage", equalTo(30))
                .body("repeated", equalTo(true));
        // Features without an overage setting, and consumptions naming none, are refused as before.
        consume(token, 30, "other-1", "exports").then().statusCode(402);
        consume(token, 30, "other-2", null).then().statusCode(402);

        assertEquals(List.of(Map.of("value", 50L, "source", "overage", "meter", "api-calls"),
                Map.of("value", 30L, "source", "overage", "meter", "api-calls")),
                db.rows("select value, source, meter from usage_record where account_id = $1 order by id", account));
        assertEquals(1, db.count("select count(*) from credit_ledger where account_id = $1 and kind = 'consume'",
                account));
    }

    @Test
    void racingOverageConsumersWriteExactlyTheLedgerAndUsageRows() throws Exception {
        grant(500);
        int clients = 32;
        CyclicBarrier start = new CyclicBarrier(clients);
        List<CompletableFuture<Response>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String key = "race-" + (i % 24); // 8 keys are sent twice, concurrently
            calls.add(CompletableFuture.supplyAsync(() -> {
                Barriers.await(start);
                return consume(TestTokens.service(), 30, key, "generation", account);
            }));
        }
        for (CompletableFuture<Response> call : calls) {
            Response response = call.get();
            assertEquals(200, response.statusCode(), response.asString());
            long consumed = ((Number) response.path("consumed")).longValue();
            long overage = ((Number) response.path("overage")).longValue();
            assertEquals(30, consumed + overage, "every consumption is paid in full: " + response.asString());
        }

        // 500 credits cover 16 consumptions of 30 and 20 of a 17th; the other 7 keys go wholly into overage.
        assertEquals(17, db.count("select count(*) from credit_ledger where account_id = $1 and kind = 'consume'",
                account));
        assertEquals(0L, db.value("select sum(amount)::bigint from credit_ledger where account_id = $1", account));
        assertEquals(0L, db.value("select balance from credit_balance where account_id = $1", account));
        assertEquals(8, db.count("select count(*) from usage_record where account_id = $1", account));
        assertEquals(24L * 30 - 500, db.value("select sum(value)::bigint from usage_record where account_id = $1",
                account));
        assertEquals(24, db.count("select count(distinct k) from (select source_key as k from credit_ledger where"
                + " account_id = $1 and kind = 'consume' union select idempotency_key from usage_record where"
                + " account_id = $1) keys", account), "every key consumed exactly once, in credits or overage");
    }

    /** Credits to spend, as a grant entry and its balance (how packs and periods grant them is tested elsewhere). */
    private void grant(long credits) {
        db.execute("insert into credit_ledger (account_id, kind, amount, balance_after, source_key) values"
                + " ($1, 'grant', $2, $2, $3)", account, credits, "test-grant-" + account);
        db.execute("insert into credit_balance (account_id, balance) values ($1, $2)", account, credits);
    }

    private static Response consume(String token, long amount, String key, String feature) {
        return consume(token, amount, key, feature, null);
    }

    private static Response consume(String token, long amount, String key, String feature, String account) {
        Map<String, Object> body = new HashMap<>(Map.of("amount", amount, "idempotency_key", key));
        if (feature != null) {
            body.put("feature", feature);
        }
        if (account != null) {
            body.put("account", account);
        }
        return given().auth().oauth2(token).contentType("application/json").body(body)
                .post("/v1/billing/credits/consume");
    }

    private static Response record(String token, String meter, long value, String key, Long timestamp,
            String account) {
        Map<String, Object> body = new HashMap<>(Map.of("meter", meter, "value", value, "idempotency_key", key));
        if (timestamp != null) {
            body.put("timestamp", timestamp);
        }
        if (account != null) {
            body.put("account", account);
        }
        return given().auth().oauth2(token).contentType("application/json").body(body).post("/v1/billing/usage");
    }

    private static void expectProblem(Response response, String type) {
        response.then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://tollgate.dev/problems/" + type));
    }

    private void awaitStatus(String identifier, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> status.equals(
                db.value("select status from usage_record where identifier = $1", identifier)));
    }

    /** The event with this identifier in a stream request's body. */
    private static JsonNode eventIn(LoggedRequest request, String identifier) throws Exception {
        for (JsonNode event : JSON.readTree(request.getBodyAsString()).path("events")) {
            if (identifier.equals(event.path("identifier").asText())) {
                return event;
            }
        }
        throw new AssertionError("no event " + identifier + " in " + request.getBodyAsString());
    }

    private static List<LoggedRequest> streamedWith(String identifier) {
        return StripeStub.server().findAll(postRequestedFor(urlEqualTo(STREAM_PATH))
                .withRequestBody(containing("\"" + identifier + "\"")));
    }

    /**
     * Stripe's meter event session (fields as in the API reference: the fixtures have no v2 objects); in
     * {@code state} of the "meter-event-session" scenario, or always when null.
     */
    private static StubMapping stubSession(String token, String state, int priority) {
        MappingBuilder request = post(urlEqualTo(SESSION_PATH)).atPriority(priority);
        if (state != null) {
            request = request.inScenario("meter-event-session").whenScenarioStateIs(state);
        }
        Instant now = Instant.now();
        return StripeStub.server().stubFor(request.willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"bmes_test\",\"object\":\"v2.billing.meter_event_session\","
                        + "\"authentication_token\":\"" + token + "\",\"created\":\"" + now + "\",\"expires_at\":\""
                        + now.plus(Duration.ofMinutes(15)) + "\",\"livemode\":false}")));
    }

    /**
     * The stream's answer: 200 for any request when {@code customer} is null; otherwise {@code status} once for
     * a request with the customer's events, after which the scenario moves to {@code next} (and the 200 applies).
     */
    private static StubMapping stubStream(String customer, int status, String next, int priority) {
        MappingBuilder request = post(urlEqualTo(STREAM_PATH)).atPriority(priority);
        if (customer != null) {
            request = request.withRequestBody(containing("\"" + customer + "\"")).inScenario("meter-event-session")
                    .whenScenarioStateIs(STARTED).willSetStateTo(next);
        }
        String body = switch (status) {
            case 200 -> "{}";
            case 401 -> "{\"error\":{\"type\":\"temporary_session_expired\",\"code\":"
                    + "\"billing_meter_event_session_expired\",\"message\":\"The meter event session has expired.\"}}";
            default -> "{\"error\":{\"type\":\"api_error\",\"message\":\"Stripe is having a bad day\"}}";
        };
        return StripeStub.server().stubFor(request.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }
}
