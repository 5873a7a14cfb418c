package dev.tollgate.callbacks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.tollgate.testing.Webhooks.deliverAndAwaitApplied;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.tollgate.testing.Barriers;
import dev.tollgate.testing.Db;
import dev.tollgate.testing.Inbox;
import dev.tollgate.testing.Management;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Callbacks to the product, end to end: real signed webhooks and API calls change billing, the outbox
 * triggers write the callbacks, and the delivery workers POST them to two WireMock receivers.
 */
@QuarkusTest
@WithTestResource(value = CallbackReceiver.class, scope = TestResourceScope.GLOBAL)
class CallbacksTest {

    private static final String PRIMARY_SECRET = "tgcb_test_primary";
    private static final String ROTATED_SECRET = "tgcb_test_rotated";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Db db;

    @Inject
    MeterRegistry registry;

    @Inject
    CallbackDispatcher dispatcher;

    @Inject
    CallbackRetention retention;

    @Test
    void subscriptionActivationIsCalledBackOnceWhenTheWebhookComesTwice() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String subId = StripeEvents.newId("sub");
        long now = System.currentTimeMillis() / 1000;
        ObjectNode incomplete = StripeObjects.subscription(subId, customer, "incomplete", now, now + 2_592_000);
        deliverAndAwaitApplied(db, StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now));
        deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created", incomplete, now));

        ObjectNode activated = StripeEvents.event("customer.subscription.updated",
                incomplete.deepCopy().put("status", "active"), now + 1);
        deliverAndAwaitApplied(db, activated);
        Webhooks.deliver(activated).then().statusCode(200).body("duplicate", equalTo(true));
        // Stripe's retry of the same change under a new event id, and a later event with the same state.
        deliverAndAwaitApplied(db,
                StripeEvents.event("customer.subscription.updated", incomplete.deepCopy().put("status", "active"),
                        now + 1));
        deliverAndAwaitApplied(db,
                StripeEvents.event("customer.subscription.updated", incomplete.deepCopy().put("status", "active"),
                        now + 2));

        awaitAllDelivered(account);
        assertEquals(List.of("subscription.activated", "license.issued"), types(account, CallbackReceiver.PRIMARY));
        assertEquals(List.of("subscription.activated", "license.issued"), types(account, CallbackReceiver.SECONDARY));
        JsonNode callback = ofType(account, "subscription.activated");
        assertTrue(callback.path("id").asText().startsWith("cb_"));
        assertEquals("event", callback.path("object").asText());
        assertTrue(Math.abs(callback.path("created").asLong() - now) < 60);
        JsonNode data = callback.path("data");
        assertEquals(subId, data.path("subscription_id").asText());
        assertEquals("active", data.path("status").asText());
        assertEquals("incomplete", data.path("previous_status").asText());
        assertEquals("pro", data.path("plan").asText());
        assertEquals("monthly", data.path("interval").asText());
        assertEquals(now + 2_592_000, data.path("current_period_end").asLong());
    }

    @Test
    void everySubscriptionTransitionIsCalledBackOnce() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String subId = StripeEvents.newId("sub");
        long now = System.currentTimeMillis() / 1000;
        ObjectNode active = StripeObjects.subscription(subId, customer, "active", now, now + 2_592_000);
        deliverAndAwaitApplied(db, StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now));
        deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created", active, now));

        ObjectNode team = active.deepCopy();
        ((ObjectNode) team.path("items").path("data").get(0).path("price")).put("id", "price_team_yearly");
        ((ObjectNode) team.path("items").path("data").get(0)).put("quantity", 3);
        deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.updated", team, now + 1));
        deliverAndAwaitApplied(db,
                StripeEvents.event("customer.subscription.updated", team.deepCopy().put("status", "past_due"), now + 2));
        ObjectNode canceled = team.deepCopy().put("status", "canceled").put("canceled_at", now + 3);
        deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.deleted", canceled, now + 3));
        deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.deleted", canceled.deepCopy(), now + 3));

        awaitAllDelivered(account);
        assertEquals(List.of("subscription.activated", "license.issued", "subscription.changed",
                "subscription.past_due", "subscription.canceled", "license.revoked"),
                types(account, CallbackReceiver.PRIMARY));
        JsonNode changed = ofType(account, "subscription.changed").path("data");
        assertEquals("team", changed.path("plan").asText());
        assertEquals("yearly", changed.path("interval").asText());
        assertEquals(3, changed.path("quantity").asInt());
        assertEquals("pro", changed.path("previous_plan").asText());
        assertEquals(1, changed.path("previous_quantity").asInt());
        assertEquals("past_due", ofType(account, "subscription.canceled").path("data").path("previous_status").asText());
    }

    @Test
    void packPurchaseCallsBackCreditsGrantedAndADebitBelowTheThresholdCreditsLow() {
        String account = StripeEvents.newId("acct");
        ObjectNode session = StripeObjects.checkoutSession(StripeEvents.newId("cs"), "cus_" + account, account,
                "payment", "paid");
        session.put("payment_intent", StripeEvents.newId("pi")).put("amount_total", 1000);
        session.putObject("metadata").put("account_id", account).put("pack", "small").put("quantity", "2");
        ObjectNode completed = StripeEvents.event("checkout.session.completed", session,
                System.currentTimeMillis() / 1000);
        deliverAndAwaitApplied(db, completed);
        Webhooks.deliver(completed).then().statusCode(200);
        deliverAndAwaitApplied(db, StripeEvents.event("checkout.session.async_payment_succeeded", session.deepCopy(),
                System.currentTimeMillis() / 1000));

        consume(account, 850, "job-1").then().statusCode(200).body("balance", equalTo(150));
        consume(account, 100, "job-2").then().statusCode(200).body("balance", equalTo(50));
        consume(account, 100, "job-2").then().statusCode(200).body("repeated", equalTo(true));
        consume(account, 10, "job-3").then().statusCode(200).body("balance", equalTo(40));

        awaitAllDelivered(account);
        assertEquals(List.of("credits.granted", "credits.low"), types(account, CallbackReceiver.PRIMARY));
        JsonNode granted = ofType(account, "credits.granted").path("data");
        assertEquals(1000, granted.path("amount").asLong());
        assertEquals(1000, granted.path("balance").asLong());
        assertEquals("grant", granted.path("kind").asText());
        assertEquals("checkout:" + session.path("id").asText(), granted.path("source").asText());
        JsonNode low = ofType(account, "credits.low").path("data");
        assertEquals(50, low.path("balance").asLong());
        assertEquals(150, low.path("previous_balance").asLong());
        assertEquals(100, low.path("threshold").asLong());
    }

    @Test
    void packConfirmedBySuccessPageAndWebhookAtOnceIsCalledBackOnce() throws Exception {
        String account = StripeEvents.newId("acct");
        ObjectNode session = StripeObjects.checkoutSession(StripeEvents.newId("cs"), "cus_" + account, account,
                "payment", "paid");
        session.put("payment_intent", StripeEvents.newId("pi")).put("amount_total", 500);
        session.putObject("metadata").put("account_id", account).put("pack", "small").put("quantity", "1");
        StripeStub.server().stubFor(WireMock.get(urlEqualTo("/v1/checkout/sessions/" + session.path("id").asText()))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(session.toString())));

        ObjectNode webhook = StripeEvents.event("checkout.session.completed", session.deepCopy(),
                System.currentTimeMillis() / 1000);
        CompletableFuture<Integer> confirm = CompletableFuture.supplyAsync(() -> given()
                .auth().oauth2(TestTokens.user(account))
                .get("/v1/billing/checkout-sessions/" + session.path("id").asText()).statusCode());
        Webhooks.deliver(webhook).then().statusCode(200);
        assertEquals(200, confirm.get());
        assertEquals("applied", Inbox.awaitProcessed(db, webhook.path("id").asText()));

        awaitAllDelivered(account);
        assertEquals(List.of("credits.granted"), types(account, CallbackReceiver.PRIMARY));
        assertEquals(List.of("credits.granted"), types(account, CallbackReceiver.SECONDARY));
    }

    @Test
    void failedPaymentIsCalledBack() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        long now = System.currentTimeMillis() / 1000;
        deliverAndAwaitApplied(db, StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now));
        ObjectNode intent = StripeObjects.paymentIntent(StripeEvents.newId("pi"), customer, "requires_payment_method",
                2000);
        intent.put("latest_charge", StripeEvents.newId("ch"));
        intent.putObject("last_payment_error").put("code", "card_declined").put("message", "Your card was declined.");
        ObjectNode failed = StripeEvents.event("payment_intent.payment_failed", intent, now);
        deliverAndAwaitApplied(db, failed);
        Webhooks.deliver(failed).then().statusCode(200);

        awaitAllDelivered(account);
        assertEquals(List.of("payment.failed"), types(account, CallbackReceiver.PRIMARY));
        JsonNode data = ofType(account, "payment.failed").path("data");
        assertEquals(intent.path("id").asText(), data.path("payment_intent_id").asText());
        assertEquals("card_declined", data.path("failure_code").asText());
        assertEquals(2000, data.path("amount").asLong());
    }

    @Test
    void receiverAnswering500IsRetriedUntilItAcknowledges() {
        String account = StripeEvents.newId("acct");
        stubPrimary(account, Scenario.STARTED, "failed-once", 500);
        stubPrimary(account, "failed-once", "failed-twice", 503);
        stubPrimary(account, "failed-twice", "recovered", 200);
        double failedBefore = counter("tollgate.callbacks.attempts.failed");

        grantPack(account);

        await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(outboxStatus(account)));
        List<LoggedRequest> primary = requests(account, CallbackReceiver.PRIMARY);
        assertEquals(3, primary.size(), "two failures, then the acknowledgement");
        assertEquals(1, primary.stream().map(r -> r.getHeader("Tollgate-Event-Id")).distinct().count(),
                "every attempt carries the same event id");
        assertEquals(1, primary.stream().map(LoggedRequest::getBodyAsString).distinct().count());
        assertEquals(1, requests(account, CallbackReceiver.SECONDARY).size(),
                "the receiver that acknowledged the first attempt is not called again");
        assertEquals(3, db.value("select attempts from callback_outbox where account_id = $1", account));
        assertTrue(counter("tollgate.callbacks.attempts.failed") - failedBefore >= 2);
    }

    @Test
    void receiverThatNeverAcknowledgesIsDeadLetteredAndAnAdminCanRedeliver() {
        String account = StripeEvents.newId("acct");
        var broken = CallbackReceiver.server().stubFor(post(urlEqualTo(CallbackReceiver.PRIMARY)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.account_id", WireMock.equalTo(account)))
                .willReturn(aResponse().withStatus(500)));
        double deadBefore = counter("tollgate.callbacks.dead");

        grantPack(account);

        await().atMost(Duration.ofSeconds(20)).until(() -> "dead".equals(outboxStatus(account)));
        assertEquals(3, requests(account, CallbackReceiver.PRIMARY).size(), "tollgate.callbacks.max-attempts=3");
        assertEquals(1.0, counter("tollgate.callbacks.dead") - deadBefore);
        String id = (String) db.value("select id from callback_outbox where account_id = $1", account);
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/callbacks?status=dead&account=" + account).then()
                .statusCode(200).body("total", equalTo(1)).body("items[0].id", equalTo(id))
                .body("items[0].attempts", equalTo(3)).body("items[0].type", equalTo("credits.granted"))
                .body("items[0].last_error", org.hamcrest.Matchers.containsString("HTTP 500"))
                .body("items[0].data.amount", equalTo(500));
        assertTrue(deadIds().contains(id));

        given().auth().oauth2(TestTokens.user(account)).post("/v1/admin/callbacks/" + id + "/redeliver").then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.service()).post("/v1/admin/callbacks/" + id + "/redeliver").then()
                .statusCode(403);
        given().auth().oauth2(TestTokens.service()).get("/v1/admin/callbacks?status=dead").then().statusCode(403);
        given().post("/v1/admin/callbacks/" + id + "/redeliver").then().statusCode(401);
        given().auth().oauth2(TestTokens.admin()).post("/v1/admin/callbacks/cb_nope/redeliver").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/callbacks?status=lost").then().statusCode(400);
        assertEquals("dead", outboxStatus(account), "refused redeliveries changed nothing");

        CallbackReceiver.server().removeStub(broken);
        given().auth().oauth2(TestTokens.admin()).post("/v1/admin/callbacks/" + id + "/redeliver").then()
                .statusCode(200).body("status", equalTo("pending"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(outboxStatus(account)));
        assertEquals(4, requests(account, CallbackReceiver.PRIMARY).size());
        assertEquals(1, requests(account, CallbackReceiver.SECONDARY).size());
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/callbacks/" + id).then().statusCode(200)
                .body("status", equalTo("delivered")).body("attempts", equalTo(1));
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("tollgate_callbacks_delivered_total", "tollgate_callbacks_attempts_failed_total",
                "tollgate_callbacks_dead_total", "tollgate_callbacks_pending")) {
            assertTrue(metrics.contains("\n" + name + " ") || metrics.contains("\n" + name + "{"), name + " is exported");
        }
    }

    @Test
    void adminApiShowsReceiverUrlsWithoutTheirCredentials() {
        String account = StripeEvents.newId("acct");
        // Receivers configured with credentials in the URL; the outbox keeps them (retries compare against
        // the configured URLs), the admin API must not show them.
        db.execute("insert into callback_outbox (type, account_id, data, dedup_key, status, delivered_urls)"
                + " values ('credits.granted', $1, '{}'::jsonb, $2, 'dead', $3)", account, "test:" + account,
                new String[] { "https://hook-user:hook-pass@hooks.example.com:8443/in?token=s3cret-token#frag",
                        "https://hooks.example.com/other?sig=s3cret-sig" });
        String id = (String) db.value("select id from callback_outbox where account_id = $1", account);

        String list = given().auth().oauth2(TestTokens.admin()).get("/v1/admin/callbacks?account=" + account).then()
                .statusCode(200).body("items[0].delivered_urls", equalTo(List.of("https://hooks.example.com:8443/in",
                        "https://hooks.example.com/other")))
                .extract().asString();
        String one = given().auth().oauth2(TestTokens.admin()).get("/v1/admin/callbacks/" + id).then()
                .statusCode(200).body("delivered_urls[0]", equalTo("https://hooks.example.com:8443/in"))
                .extract().asString();
        for (String body : List.of(list, one)) {
            for (String secret : List.of("hook-pass", "hook-user", "s3cret", "frag")) {
                assertFalse(body.contains(secret), secret + " shown in " + body);
            }
        }
    }

    @Test
    void deliveredCallbacksAreDeletedAfterTheRetentionDeadOnesStay() {
        String account = StripeEvents.newId("old");
        db.execute("insert into callback_outbox (type, account_id, dedup_key, data, status, delivered_at)"
                + " values ('credits.granted', $1, $1 || ':old', '{}', 'delivered', now() - interval '31 days'),"
                + " ('credits.granted', $1, $1 || ':recent', '{}', 'delivered', now() - interval '29 days'),"
                + " ('credits.granted', $1, $1 || ':dead', '{}', 'dead', null)", account);

        assertTrue(retention.purge().await().atMost(Duration.ofSeconds(10)) >= 1);

        assertEquals(List.of(account + ":dead", account + ":recent"), db.rows(
                "select dedup_key from callback_outbox where account_id = $1 order by dedup_key", account).stream()
                .map(r -> (String) r.get("dedup_key")).toList());
    }

    @Test
    void withCallbacksOffNothingIsWritten() {
        String account = StripeEvents.newId("acct");
        // What the service records at start-up when no tollgate.callbacks.urls are configured.
        db.execute("update callback_settings set enabled = false");
        try {
            grantPack(account);
        } finally {
            db.execute("update callback_settings set enabled = true");
        }
        assertEquals(500L, db.value("select balance from credit_balance where account_id = $1", account));
        assertEquals(0, db.count("select count(*) from callback_outbox where account_id = $1", account));
    }

    @Test
    void receiverCanVerifyTheSignatureWithTheSharedSecret() throws Exception {
        String account = StripeEvents.newId("acct");
        grantPack(account);
        awaitAllDelivered(account);

        LoggedRequest request = requests(account, CallbackReceiver.PRIMARY).get(0);
        String body = new String(request.getBody(), StandardCharsets.UTF_8);
        String header = request.getHeader("Tollgate-Signature");
        Map<String, List<String>> parts = new HashMap<>();
        for (String part : header.split(",")) {
            String[] kv = part.split("=", 2);
            parts.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
        }
        long t = Long.parseLong(parts.get("t").get(0));
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - t) < 300, "the timestamp is now");
        assertEquals(List.of(Long.toString(t)), parts.get("t"), "one timestamp");
        // Exactly t, then one v1 per configured secret in the configured order (primary, then the rotated
        // one), each the HMAC-SHA256 of "<t>.<the exact body the receiver got>" under that secret.
        String signed = t + "." + body;
        assertEquals("t=" + t + ",v1=" + hmacHex(PRIMARY_SECRET, signed) + ",v1=" + hmacHex(ROTATED_SECRET, signed),
                header);
        assertEquals(JSON.readTree(body).path("id").asText(), request.getHeader("Tollgate-Event-Id"));
        assertTrue(request.getHeader("Content-Type").startsWith("application/json"));
        // Stripe's own verifier accepts it: receivers can reuse Stripe-style verification code.
        com.stripe.net.Webhook.Signature.verifyHeader(body, header, PRIMARY_SECRET, 300);
        com.stripe.net.Webhook.Signature.verifyHeader(body, header, ROTATED_SECRET, 300);
    }

    @Test
    void concurrentWorkersNeverSendOneCallbackTwice() throws Exception {
        String account = StripeEvents.newId("race");
        int callbacks = 120;
        CallbackReceiver.server().stubFor(post(WireMock.urlPathMatching("/hooks/.*")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.account_id", WireMock.equalTo(account)))
                .willReturn(aResponse().withStatus(200).withFixedDelay(60)));
        // Written not yet due, then made due at once, so that the racing workers find them together.
        db.execute("insert into callback_outbox (type, account_id, dedup_key, data, next_attempt_at)"
                + " select 'credits.granted', $1, 'race:' || $1 || ':' || g, jsonb_build_object('amount', g),"
                + " now() + interval '1 hour' from generate_series(1, $2) g", account, callbacks);
        int workers = 6;
        CyclicBarrier start = new CyclicBarrier(workers);
        db.execute("update callback_outbox set next_attempt_at = now() where account_id = $1", account);
        List<CompletableFuture<Integer>> racers = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            racers.add(CompletableFuture.supplyAsync(() -> {
                Barriers.await(start);
                int claimed = 0;
                int round;
                do {
                    round = dispatcher.deliverDue().await().atMost(Duration.ofSeconds(30)).claimed();
                    claimed += round;
                } while (round > 0);
                return claimed;
            }));
        }
        int claimedByRacers = 0;
        for (CompletableFuture<Integer> racer : racers) {
            claimedByRacers += racer.get();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> db.count(
                "select count(*) from callback_outbox where account_id = $1 and status = 'delivered'", account) == callbacks);
        for (String path : List.of(CallbackReceiver.PRIMARY, CallbackReceiver.SECONDARY)) {
            Map<String, Long> perId = requests(account, path).stream()
                    .collect(Collectors.groupingBy(r -> r.getHeader("Tollgate-Event-Id"), Collectors.counting()));
            assertEquals(callbacks, perId.size(), "every callback reached " + path);
            assertEquals(Map.of(), perId.entrySet().stream().filter(e -> e.getValue() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "sent twice to " + path);
        }
        assertEquals(0, db.count("select count(*) from callback_outbox where account_id = $1 and attempts <> 1", account));
        assertTrue(claimedByRacers > callbacks / 2, "the racing workers did most of the work: " + claimedByRacers);
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private void grantPack(String account) {
        ObjectNode session = StripeObjects.checkoutSession(StripeEvents.newId("cs"), "cus_" + account, account,
                "payment", "paid");
        session.put("payment_intent", StripeEvents.newId("pi")).put("amount_total", 500);
        session.putObject("metadata").put("account_id", account).put("pack", "small").put("quantity", "1");
        deliverAndAwaitApplied(db,
                StripeEvents.event("checkout.session.completed", session, System.currentTimeMillis() / 1000));
    }

    private static io.restassured.response.Response consume(String account, long amount, String key) {
        return given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("amount", amount, "idempotency_key", key)).post("/v1/billing/credits/consume");
    }

    private static void stubPrimary(String account, String state, String next, int status) {
        CallbackReceiver.server().stubFor(post(urlEqualTo(CallbackReceiver.PRIMARY)).atPriority(1)
                .inScenario("flaky-" + account).whenScenarioStateIs(state).willSetStateTo(next)
                .withRequestBody(matchingJsonPath("$.account_id", WireMock.equalTo(account)))
                .willReturn(aResponse().withStatus(status)));
    }

    /** Every callback of the account is written (its changes were applied) and now acknowledged by both receivers. */
    private void awaitAllDelivered(String account) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> db.count(
                "select count(*) from callback_outbox where account_id = $1 and status <> 'delivered'", account) == 0);
    }

    private String outboxStatus(String account) {
        var rows = db.rows("select status from callback_outbox where account_id = $1", account);
        assertTrue(rows.size() <= 1, "one callback expected, got " + rows.size());
        return rows.isEmpty() ? null : (String) rows.get(0).get("status");
    }

    private List<String> deadIds() {
        JsonNode page = readJson(given().auth().oauth2(TestTokens.admin()).get("/v1/admin/callbacks?status=dead")
                .then().statusCode(200).extract().asString());
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static List<LoggedRequest> requests(String account, String path) {
        return CallbackReceiver.server().findAll(postRequestedFor(urlEqualTo(path))
                .withRequestBody(matchingJsonPath("$.account_id", WireMock.equalTo(account))));
    }

    /** The callbacks a receiver got for the account, in the order they were written. */
    private static List<JsonNode> received(String account, String path) {
        return requests(account, path).stream().map(r -> readJson(r.getBodyAsString()))
                .sorted(java.util.Comparator.comparing((JsonNode n) -> n.path("created").asLong()))
                .toList();
    }

    private List<String> types(String account, String path) {
        // The receiver sees them in any order (they are delivered concurrently); the outbox knows the order.
        List<String> ids = db.rows("select id from callback_outbox where account_id = $1 order by seq", account)
                .stream().map(r -> (String) r.get("id")).toList();
        List<JsonNode> got = requests(account, path).stream().map(r -> readJson(r.getBodyAsString())).toList();
        assertEquals(ids.size(), got.size(), "one request per callback at " + path);
        return ids.stream().map(id -> got.stream().filter(n -> n.path("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " never reached " + path)).path("type").asText()).toList();
    }

    private static JsonNode ofType(String account, String type) {
        return received(account, CallbackReceiver.PRIMARY).stream().filter(n -> n.path("type").asText().equals(type))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " callback"));
    }

    private double counter(String name) {
        var counter = registry.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String hmacHex(String secret, String payload) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

}
