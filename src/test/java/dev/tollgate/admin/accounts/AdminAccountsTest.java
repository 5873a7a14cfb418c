package dev.tollgate.admin.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Barriers;
import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** One account's billing state for operators, and manual credit adjustments audited in the ledger. */
@QuarkusTest
class AdminAccountsTest {

    @Inject
    Db db;

    private String account;

    @BeforeEach
    void newAccount() {
        account = StripeEvents.newId("acct");
    }

    @Test
    void showsTheWholeBillingStateOfAnAccount() {
        String customer = "cus_" + account;
        String sub = StripeEvents.newId("sub");
        String invoice = StripeEvents.newId("in");
        String intent = StripeEvents.newId("pi");
        long now = System.currentTimeMillis() / 1000;
        List<ObjectNode> events = List.of(
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now - 120),
                StripeEvents.event("customer.subscription.created",
                        StripeObjects.subscription(sub, customer, "active", now - 86_400, now + 29 * 86_400), now - 110),
                StripeEvents.event("invoice.paid", StripeObjects.invoice(invoice, customer, sub, "paid", 2000), now - 100),
                StripeEvents.event("payment_intent.succeeded",
                        StripeObjects.paymentIntent(intent, customer, "succeeded", 2000), now - 90));
        for (ObjectNode event : events) {
            Webhooks.deliverAndAwaitApplied(db, event);
        }
        adjust(Map.of("amount", 50, "reason", "Goodwill after outage")).then().statusCode(200);

        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/accounts/" + account).then().statusCode(200)
                .body("account", equalTo(account))
                .body("customer.customers[0].id", equalTo(customer))
                .body("customer.customers[0].email", equalTo(account + "@example.com"))
                .body("subscription.id", equalTo(sub))
                .body("subscription.plan", equalTo("pro"))
                .body("subscription.interval", equalTo("monthly"))
                .body("subscription.grants_plan", equalTo(true))
                .body("subscription_history", hasSize(1))
                .body("invoices.items[0].id", equalTo(invoice))
                .body("invoices.total", equalTo(1))
                .body("payments.items[0].id", equalTo(intent))
                // The paid renewal granted the plan's 1,000 credits; the operator added 50.
                .body("credits.balance", equalTo(1050))
                .body("credits.recent[0].kind", equalTo("adjustment"))
                .body("credits.recent[0].actor", equalTo("ops-admin"))
                .body("credits.recent[0].reason", equalTo("Goodwill after outage"))
                .body("credits.recent[1].kind", equalTo("grant"))
                .body("entitlements.plan", equalTo("pro"))
                .body("entitlements.credits", equalTo(1050))
                .body("licenses", hasSize(1))
                .body("licenses[0].status", equalTo("active"))
                .body("recent_events.id", hasItems(events.stream().map(e -> e.path("id").asText()).toArray()))
                .body("recent_events[0].id", equalTo(events.get(3).path("id").asText()))
                .body("recent_events[0].object_id", equalTo(intent));
    }

    @Test
    void anUnknownAccountIsNotFound() {
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/accounts/acct_nobody_knows").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("acct_nobody_knows"));
        given().auth().oauth2(TestTokens.admin()).contentType("application/json")
                .body(Map.of("amount", 10, "reason", "typo")).post("/v1/admin/accounts/acct_nobody_knows/credits")
                .then().statusCode(404).contentType("application/problem+json");
        assertEquals(0, db.count("select count(*) from credit_ledger where account_id = 'acct_nobody_knows'"));
    }

    @Test
    void aGrantAndADebitAreAuditedWithReasonAndActor() {
        known();
        adjust(Map.of("amount", 100, "reason", "Migration from the old system")).then().statusCode(200)
                .body("amount", equalTo(100)).body("balance", equalTo(100)).body("kind", equalTo("adjustment"))
                .body("actor", equalTo("ops-admin"));
        adjust(Map.of("amount", -30, "reason", "Duplicate grant")).then().statusCode(200)
                .body("amount", equalTo(-30)).body("balance", equalTo(70));

        List<Map<String, Object>> rows = db.rows("select kind, amount, balance_after, reason, actor from credit_ledger"
                + " where account_id = $1 order by id", account);
        assertEquals(2, rows.size());
        assertEquals(Map.of("kind", "adjustment", "amount", 100L, "balance_after", 100L, "reason",
                "Migration from the old system", "actor", "ops-admin"), rows.get(0));
        assertEquals(Map.of("kind", "adjustment", "amount", -30L, "balance_after", 70L, "reason", "Duplicate grant",
                "actor", "ops-admin"), rows.get(1));
        assertEquals(70L, db.value("select balance from credit_balance where account_id = $1", account));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/credits").then().body("balance", equalTo(70));
    }

    @Test
    void aDebitBeyondTheBalanceIsRefusedAndChangesNothing() {
        known();
        adjust(Map.of("amount", 40, "reason", "Start")).then().statusCode(200);

        adjust(Map.of("amount", -41, "reason", "Too much", "idempotency_key", "k-1")).then().statusCode(409)
                .contentType("application/problem+json").body("balance", equalTo(40)).body("requested", equalTo(41));

        assertEquals(1, db.count("select count(*) from credit_ledger where account_id = $1", account));
        assertEquals(40L, db.value("select balance from credit_balance where account_id = $1", account));
        // A refused debit leaves no trace: its key can be used again once the balance allows.
        adjust(Map.of("amount", -40, "reason", "All of it", "idempotency_key", "k-1")).then().statusCode(200)
                .body("balance", equalTo(0));
    }

    @Test
    void aDebitOfAnAccountWithoutCreditsIsRefused() {
        known();
        adjust(Map.of("amount", -1, "reason", "Nothing there")).then().statusCode(409).body("balance", equalTo(0));
        assertEquals(0, db.count("select count(*) from credit_ledger where account_id = $1", account));
    }

    @Test
    void aRepeatedIdempotencyKeyAdjustsOnce() {
        known();
        Response first = adjust(Map.of("amount", 25, "reason", "Support ticket 1", "idempotency_key", "t-1"));
        first.then().statusCode(200).body("repeated", equalTo(false));
        adjust(Map.of("amount", 25, "reason", "Support ticket 1", "idempotency_key", "t-1")).then().statusCode(200)
                .body("repeated", equalTo(true)).body("entry_id", equalTo(first.path("entry_id")))
                .body("actor", equalTo("ops-admin"))
                .body("balance", equalTo(25));
        assertEquals(1, db.count("select count(*) from credit_ledger where account_id = $1", account));
    }

    @Test
    void concurrentDebitsNeverOverdraw() throws Exception {
        known();
        adjust(Map.of("amount", 100, "reason", "Start")).then().statusCode(200);
        int clients = 8;
        CyclicBarrier barrier = new CyclicBarrier(clients);
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            results.add(CompletableFuture.supplyAsync(() -> {
                Barriers.await(barrier);
                return adjust(Map.of("amount", -30, "reason", "Race")).statusCode();
            }));
        }
        long accepted = 0;
        for (CompletableFuture<Integer> result : results) {
            int status = result.get();
            if (status == 200) {
                accepted++;
            } else {
                assertEquals(409, status);
            }
        }
        assertEquals(3, accepted);
        assertEquals(10L, db.value("select balance from credit_balance where account_id = $1", account));
        assertEquals(10L, db.value("select sum(amount)::bigint from credit_ledger where account_id = $1", account));
    }

    @Test
    void invalidAdjustmentsAreRejected() {
        known();
        adjust(Map.of("amount", 10)).then().statusCode(400).contentType("application/problem+json")
                .body("type", containsString("invalid-reason"));
        adjust(Map.of("amount", 10, "reason", " ")).then().statusCode(400);
        adjust(Map.of("amount", 0, "reason", "zero")).then().statusCode(400)
                .body("type", containsString("invalid-amount"));
        adjust(Map.of("reason", "no amount")).then().statusCode(400);
        adjust(Map.of("amount", 10, "reason", "x".repeat(501))).then().statusCode(400);
        adjust(Map.of("amount", 10, "reason", "ok", "idempotency_key", "k".repeat(256))).then().statusCode(400);
        given().auth().oauth2(TestTokens.admin()).contentType("application/json").body("{not json")
                .post("/v1/admin/accounts/" + account + "/credits").then().statusCode(400);
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/accounts/" + account + "?limit=0").then()
                .statusCode(400);
        assertEquals(0, db.count("select count(*) from credit_ledger where account_id = $1", account));
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/accounts/" + account).then().statusCode(200)
                .body("subscription", nullValue()).body("entitlements.plan", equalTo("free"))
                .body("credits.balance", equalTo(0));
    }

    private void known() {
        db.execute("insert into account (id) values ($1)", account);
    }

    private Response adjust(Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.admin()).contentType("application/json").body(body)
                .post("/v1/admin/accounts/" + account + "/credits");
    }
}
