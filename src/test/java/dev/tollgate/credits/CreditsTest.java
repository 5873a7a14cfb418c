package dev.tollgate.credits;

import static dev.tollgate.testing.Webhooks.deliverAndAwaitApplied;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Barriers;
import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Credit packs granted once, consumption atomic and idempotent, refunds clawed back once. */
@QuarkusTest
class CreditsTest {

    @Inject
    Db db;

    @Inject
    CreditExpiry expiry;

    @Test
    void paidPackIsGrantedOnceWhicheverEventsAnnounceIt() {
        String account = StripeEvents.newId("acct");
        ObjectNode session = packSession(account, "small", 2);
        deliverAndAwaitApplied(db, "checkout.session.completed", session);
        deliverAndAwaitApplied(db, "checkout.session.async_payment_succeeded", session.deepCopy());
        deliverAndAwaitApplied(db, "checkout.session.completed", session.deepCopy());

        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/credits").then().statusCode(200)
                .body("balance", equalTo(1000)).body("total", equalTo(1))
                .body("items[0].kind", equalTo("grant")).body("items[0].amount", equalTo(1000));
    }

    @Test
    void unpaidOrUnknownPackGrantsNothing() {
        String account = StripeEvents.newId("acct");
        deliverAndAwaitApplied(db, "checkout.session.completed",
                packSession(account, "small", 1).put("payment_status", "unpaid"));
        deliverAndAwaitApplied(db, "checkout.session.completed", packSession(account, "gigantic", 1));
        assertEquals(0, db.count("select count(*) from credit_ledger where account_id = $1", account));
    }

    @Test
    void consumeDebitsOncePerKeyAndRefusesToOverdraw() {
        String account = grantedAccount(500);
        String token = TestTokens.user(account);

        consume(token, 200, "job-1").then().statusCode(200).body("balance", equalTo(300))
                .body("consumed", equalTo(200)).body("repeated", equalTo(false));
        consume(token, 200, "job-1").then().statusCode(200).body("balance", equalTo(300))
                .body("repeated", equalTo(true));
        consume(token, 1000, "job-2").then().statusCode(402).contentType("application/problem+json")
                .body("balance", equalTo(300)).body("requested", equalTo(1000));
        consume(token, 0, "job-3").then().statusCode(400).body("type", equalTo("https://tollgate.dev/problems/invalid-amount"));
        given().auth().oauth2(token).contentType("application/json").body(Map.of("amount", 5))
                .post("/v1/billing/credits/consume")
                .then().statusCode(400).body("type", equalTo("https://tollgate.dev/problems/invalid-idempotency-key"));
        given().auth().oauth2(token).contentType("application/json").body("{\"amount\": ").post("/v1/billing/credits/consume")
                .then().statusCode(400).contentType("application/problem+json");

        assertEquals(300L, db.value("select balance from credit_balance where account_id = $1", account));
        assertEquals(300L, db.value("select sum(amount)::bigint from credit_ledger where account_id = $1", account),
                "the balance is what the ledger adds up to");
    }

    @Test
    void concurrentConsumersNeverOverdrawNorDoubleDebit() throws Exception {
        String account = grantedAccount(500);
        int clients = 32;
        CyclicBarrier start = new CyclicBarrier(clients);
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String key = "race-" + (i % 24); // 8 keys are sent twice, concurrently
            calls.add(CompletableFuture.supplyAsync(() -> {
                Barriers.await(start);
                return consume(TestTokens.service(), 25, key, account).statusCode();
            }));
        }
        long ok = 0;
        for (CompletableFuture<Integer> call : calls) {
            int status = call.get();
            assertTrue(status == 200 || status == 402, "status " + status);
            ok += status == 200 ? 1 : 0;
        }

        long debits = db.count("select count(*) from credit_ledger where account_id = $1 and kind = 'consume'", account);
        assertEquals(20, debits, "500 credits pay for exactly 20 distinct debits of 25");
        assertEquals(0L, db.value("select balance from credit_balance where account_id = $1", account));
        assertEquals(0L, db.value("select sum(amount)::bigint from credit_ledger where account_id = $1", account));
        assertTrue(ok >= 20, "every accepted key answered 200, repeats included: " + ok);
    }

    @Test
    void refundAfterPartialUseClawsBackItsShareOnce() {
        String account = StripeEvents.newId("acct");
        ObjectNode session = packSession(account, "small", 1);
        deliverAndAwaitApplied(db, "checkout.session.completed", session);
        consume(TestTokens.user(account), 100, "used").then().statusCode(200).body("balance", equalTo(400));

        ObjectNode refund = StripeObjects.refund(StripeEvents.newId("re"), "ch_x", session.path("payment_intent").asText(),
                250);
        deliverAndAwaitApplied(db, "refund.created", refund);
        deliverAndAwaitApplied(db, "refund.updated", refund.deepCopy());

        // Half the payment came back, so half of the 500 credits go: 400 - 250.
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/credits").then().statusCode(200)
                .body("balance", equalTo(150));
        assertEquals(1, db.count("select count(*) from credit_ledger where account_id = $1 and kind = 'refund'", account));
    }

    @Test
    void refundSeenBeforeItsCheckoutIsSettledWhenTheGrantArrives() {
        String account = StripeEvents.newId("acct");
        ObjectNode session = packSession(account, "small", 1);
        deliverAndAwaitApplied(db, "refund.created", StripeObjects.refund(StripeEvents.newId("re"), "ch_y",
                session.path("payment_intent").asText(), 500));
        deliverAndAwaitApplied(db, "checkout.session.completed", session);

        assertEquals(0L, db.value("select balance from credit_balance where account_id = $1", account));
    }

    @Test
    void eachPaidPeriodGrantsThePlansCreditsOnce() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String subId = StripeEvents.newId("sub");
        long now = System.currentTimeMillis() / 1000;
        deliverAndAwaitApplied(db, "customer.created", StripeObjects.customer(customer, account));
        deliverAndAwaitApplied(db, "customer.subscription.created", StripeObjects.subscription(subId, customer, "active", now,
                now + 2_592_000));
        ObjectNode first = StripeObjects.invoice(StripeEvents.newId("in"), customer, subId, "paid", 2000)
                .put("billing_reason", "subscription_create");
        deliverAndAwaitApplied(db, "invoice.paid", first);
        deliverAndAwaitApplied(db, "invoice.paid", first.deepCopy());
        deliverAndAwaitApplied(db, "invoice.payment_succeeded", first.deepCopy());
        deliverAndAwaitApplied(db, "invoice.paid",
                StripeObjects.invoice(StripeEvents.newId("in"), customer, subId, "paid", 2000));
        deliverAndAwaitApplied(db, "invoice.paid",
                StripeObjects.invoice(StripeEvents.newId("in"), customer, subId, "open", 2000));

        // Pro grants 1,000 credits per period: the first invoice and one renewal; the open one grants nothing.
        assertEquals(2000L, db.value("select balance from credit_balance where account_id = $1", account));
        assertEquals(2, db.count("select count(*) from credit_ledger where account_id = $1 and kind = 'grant'",
                account));
    }

    @Test
    void periodCreditsOfAUseItOrLoseItPlanLapseAtThePeriodEnd() {
        // The team plan's period credits expire in the test catalog; pro's last.
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String subId = StripeEvents.newId("sub");
        long now = System.currentTimeMillis() / 1000;
        long periodEnd = now + 2_592_000;
        ObjectNode subscription = StripeObjects.subscription(subId, customer, "active", now, periodEnd);
        ((ObjectNode) subscription.path("items").path("data").path(0).path("price")).put("id", "price_team_monthly");
        deliverAndAwaitApplied(db, "customer.created", StripeObjects.customer(customer, account));
        deliverAndAwaitApplied(db, "customer.subscription.created", subscription);
        ObjectNode invoice = StripeObjects.invoice(StripeEvents.newId("in"), customer, subId, "paid", 6000)
                .put("billing_reason", "subscription_create");
        ((ObjectNode) invoice.path("lines").path("data").path(0).path("period")).put("start", now).put("end",
                periodEnd);
        deliverAndAwaitApplied(db, "invoice.paid", invoice);

        assertEquals(5000L, db.value("select balance from credit_balance where account_id = $1", account));
        assertEquals(periodEnd, ((Number) db.value("select extract(epoch from expires_at)::bigint from credit_expiring"
                + " where account_id = $1", account)).longValue());
    }

    @Test
    void expiringCreditsAreSpentFirstAndWhatIsLeftExpiresOnce() {
        // The small pack lasts 365 days in the test catalog; the large one never expires.
        String account = StripeEvents.newId("acct");
        deliverAndAwaitApplied(db, "checkout.session.completed", packSession(account, "small", 1));
        deliverAndAwaitApplied(db, "checkout.session.completed", packSession(account, "large", 1));
        consume(TestTokens.user(account), 200, "spend").then().statusCode(200).body("balance", equalTo(5300));
        assertEquals(300L, db.value("select remaining from credit_expiring where account_id = $1", account));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/credits").then().statusCode(200)
                .body("expiring[0].amount", equalTo(300)).body("expiring.size()", equalTo(1));

        assertEquals(0L, expiry.expireDue().await().indefinitely(), "nothing is due yet");
        db.execute("update credit_expiring set expires_at = now() - interval '1 second' where account_id = $1", account);
        expiry.expireDue().await().indefinitely();
        expiry.expireDue().await().indefinitely();

        assertEquals(5000L, db.value("select balance from credit_balance where account_id = $1", account));
        assertEquals(-300L, db.value("select sum(amount)::bigint from credit_ledger where account_id = $1"
                + " and kind = 'expiry'", account));
        assertEquals(1, db.count("select count(*) from credit_ledger where account_id = $1 and kind = 'expiry'",
                account));
        assertEquals(5000L, db.value("select sum(amount)::bigint from credit_ledger where account_id = $1", account));
    }

    @Test
    void consumptionRacingExpiryNeitherOverdrawsNorLosesCredits() throws Exception {
        String account = StripeEvents.newId("acct");
        deliverAndAwaitApplied(db, "checkout.session.completed", packSession(account, "small", 2)); // 1,000 expiring
        deliverAndAwaitApplied(db, "checkout.session.completed", packSession(account, "large", 1)); // 5,000 lasting
        db.execute("update credit_expiring set expires_at = now() - interval '1 second' where account_id = $1", account);

        int consumers = 16;
        CyclicBarrier start = new CyclicBarrier(consumers + 2);
        List<CompletableFuture<Response>> consumptions = new ArrayList<>();
        for (int i = 0; i < consumers; i++) {
            String key = "race-" + i;
            consumptions.add(CompletableFuture.supplyAsync(() -> {
                Barriers.await(start);
                return consume(TestTokens.user(account), 100, key);
            }));
        }
        List<CompletableFuture<Long>> expiries = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            expiries.add(CompletableFuture.supplyAsync(() -> {
                Barriers.await(start);
                return expiry.expireDue().await().atMost(Duration.ofSeconds(60));
            }));
        }
        for (CompletableFuture<Response> consumption : consumptions) {
            consumption.get(60, TimeUnit.SECONDS).then().statusCode(200).body("consumed", equalTo(100))
                    .body("repeated", equalTo(false));
        }
        List<Long> taken = new ArrayList<>();
        for (CompletableFuture<Long> run : expiries) {
            taken.add(run.get(60, TimeUnit.SECONDS));
        }

        // Each consumption is in the ledger exactly once; the grant expired at most once, taking exactly
        // what the consumers had not spent of the 1,000 (they spend expiring credits first).
        List<Map<String, Object>> consumed = db.rows("select amount from credit_ledger where account_id = $1"
                + " and kind = 'consume'", account);
        assertEquals(consumers, consumed.size(), "one ledger entry per consumption");
        consumed.forEach(row -> assertEquals(-100L, row.get("amount")));
        long expiryEntries = db.count("select count(*) from credit_ledger where account_id = $1 and kind = 'expiry'",
                account);
        long expired = -((Number) db.value("select coalesce(sum(amount), 0)::bigint from credit_ledger"
                + " where account_id = $1 and kind = 'expiry'", account)).longValue();
        assertEquals(expired > 0 ? 1 : 0, expiryEntries, "the grant expires once: " + expired);
        assertTrue(expired >= 0 && expired <= 1000 && expired % 100 == 0,
                "the unspent rest of the 1,000, in whole consumptions: " + expired);
        assertTrue(taken.stream().filter(n -> n > 0).count() <= 1, "only one racing expiry took anything: " + taken);
        long balance = (Long) db.value("select balance from credit_balance where account_id = $1", account);
        assertEquals(6000 - 1600 - expired, balance);
        assertEquals(balance, db.value("select sum(amount)::bigint from credit_ledger where account_id = $1", account));
        assertEquals(0L, db.value("select coalesce(sum(remaining), 0)::bigint from credit_expiring"
                + " where account_id = $1", account));
        // Serialized on the balance row: every entry's balance_after is the one before it plus its amount.
        long running = 0;
        for (Map<String, Object> entry : db.rows("select amount, balance_after from credit_ledger"
                + " where account_id = $1 order by id", account)) {
            running += (Long) entry.get("amount");
            assertEquals(running, entry.get("balance_after"), "balance_after of " + entry);
        }
    }

    @Test
    void usersCannotReadOrSpendAnotherAccountsCredits() {
        String account = grantedAccount(500);
        String intruder = TestTokens.user(StripeEvents.newId("acct"));
        given().auth().oauth2(intruder).get("/v1/billing/credits?account=" + account).then().statusCode(403);
        consume(intruder, 10, "steal", account).then().statusCode(403);
        assertEquals(500L, db.value("select balance from credit_balance where account_id = $1", account));
    }

    private String grantedAccount(long credits) {
        String account = StripeEvents.newId("acct");
        deliverAndAwaitApplied(db, "checkout.session.completed", packSession(account, "small", credits / 500));
        return account;
    }

    private static ObjectNode packSession(String account, String pack, long quantity) {
        String id = StripeEvents.newId("cs");
        ObjectNode session = StripeObjects.checkoutSession(id, "cus_" + account, account, "payment", "paid");
        session.put("payment_intent", StripeEvents.newId("pi"));
        session.put("amount_total", 500 * quantity);
        session.putObject("metadata").put("account_id", account).put("pack", pack).put("quantity",
                String.valueOf(quantity));
        return session;
    }

    private static Response consume(String token, long amount, String key) {
        return consume(token, amount, key, null);
    }

    private static Response consume(String token, long amount, String key, String account) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("amount", amount, "idempotency_key", key,
                "reason", "test"));
        if (account != null) {
            body.put("account", account);
        }
        return given().auth().oauth2(token).contentType("application/json").body(body)
                .post("/v1/billing/credits/consume");
    }

}
