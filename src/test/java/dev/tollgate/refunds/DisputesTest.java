package dev.tollgate.refunds;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.callbacks.CallbackReceiver;
import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Disputes: a callback, credits frozen while open (configured here), a lost one takes the credits back once. */
@QuarkusTest
@TestProfile(DisputesTest.FreezeCredits.class)
@WithTestResource(value = CallbackReceiver.class, scope = TestResourceScope.GLOBAL)
class DisputesTest {

    public static class FreezeCredits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.disputes.freeze-credits", "true");
        }
    }

    @Inject
    Db db;

    @Test
    void aLostDisputeFreezesThenTakesThePacksCreditsBackOnce() {
        Purchases p = Purchases.packBought(db);
        String disputeId = StripeEvents.newId("dp");
        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("charge.dispute.created", dispute(disputeId, p, "needs_response"), now));
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("charge.dispute.created", dispute(disputeId, p, "needs_response"), now));

        assertEquals(1L, db.count("select count(*) from callback_outbox where account_id = $1 and type = $2",
                p.account(), "payment.disputed"));
        given().auth().oauth2(TestTokens.user(p.account())).contentType("application/json")
                .body(Map.of("amount", 1, "idempotency_key", "while-frozen")).post("/v1/billing/credits/consume")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("credits-frozen")).body("dispute", equalTo(disputeId));
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/accounts/" + p.account()).then().statusCode(200)
                .body("disputes[0].id", equalTo(disputeId)).body("disputes[0].status", equalTo("needs_response"))
                .body("disputes[0].credits_frozen", equalTo(true));

        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("charge.dispute.closed", dispute(disputeId, p, "lost"), now + 1));
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("charge.dispute.closed", dispute(disputeId, p, "lost"), now + 2));

        assertEquals(0, p.balance(db), "the whole payment was disputed and lost: all 500 credits taken back");
        assertEquals(1L, db.count("select count(*) from credit_ledger where source_key = $1", "dispute:" + disputeId));
        assertEquals(0L, db.count("select count(*) from credit_freeze where account_id = $1", p.account()));
        assertEquals(1L, db.count("select count(*) from callback_outbox where account_id = $1 and type = $2",
                p.account(), "payment.dispute_closed"));
        given().auth().oauth2(TestTokens.user(p.account())).contentType("application/json")
                .body(Map.of("amount", 1, "idempotency_key", "after-lost")).post("/v1/billing/credits/consume")
                .then().statusCode(402);
    }

    @Test
    void aWonDisputeUnfreezesAndTakesNothing() {
        Purchases p = Purchases.packBought(db);
        String disputeId = StripeEvents.newId("dp");
        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("charge.dispute.created", dispute(disputeId, p, "needs_response"), now));
        assertEquals(1L, db.count("select count(*) from credit_freeze where account_id = $1", p.account()));
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("charge.dispute.closed", dispute(disputeId, p, "won"), now + 1));

        assertEquals(500, p.balance(db));
        given().auth().oauth2(TestTokens.user(p.account())).contentType("application/json")
                .body(Map.of("amount", 5, "idempotency_key", "after-won")).post("/v1/billing/credits/consume")
                .then().statusCode(200).body("balance", equalTo(495));
    }

    private static ObjectNode dispute(String id, Purchases p, String status) {
        ObjectNode dispute = StripeFixtures.object("dispute");
        dispute.put("id", id).put("charge", p.charge()).put("payment_intent", p.intent()).put("status", status)
                .put("amount", 1000).put("currency", "usd").put("reason", "fraudulent");
        return dispute;
    }
}
