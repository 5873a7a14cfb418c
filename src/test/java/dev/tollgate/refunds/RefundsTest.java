package dev.tollgate.refunds;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** POST /v1/admin/refunds: exact parameters, an idempotency key per request, and one claw-back with the events. */
@QuarkusTest
class RefundsTest {

    @Inject
    Db db;

    @Test
    void aPartialRefundAndItsEventsClawBackTheShareOnce() {
        Purchases p = Purchases.packBought(db);
        assertEquals(500, p.balance(db));
        String refundId = StripeEvents.newId("re");
        ObjectNode refund = StripeObjects.refund(refundId, p.charge(), p.intent(), 400);
        refund.put("reason", "requested_by_customer");
        StripeStub.server().stubFor(post(urlEqualTo("/v1/refunds"))
                .withRequestBody(matching(".*" + p.intent() + ".*"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(refund.toString())));

        given().auth().oauth2(TestTokens.admin()).contentType("application/json").header("Idempotency-Key", "ticket-7")
                .body(Map.of("payment", p.intent(), "amount", 400, "reason", "requested_by_customer"))
                .post("/v1/admin/refunds").then().statusCode(200)
                .body("id", equalTo(refundId)).body("status", equalTo("succeeded")).body("amount", equalTo(400))
                .body("payment_intent", equalTo(p.intent()));

        List<LoggedRequest> sent = StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/refunds"))
                .withRequestBody(matching(".*" + p.intent() + ".*")));
        assertEquals(1, sent.size());
        assertEquals("payment_intent=" + p.intent() + "&amount=400&reason=requested_by_customer",
                sent.get(0).getBodyAsString());
        assertEquals(true, sent.get(0).getHeader("Idempotency-Key").matches("refund-.{43}"));
        assertEquals(300, p.balance(db), "400 of 1000 refunded takes back 200 of 500 credits at once");

        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("refund.created", refund, now + 1));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("charge.refunded",
                StripeObjects.charge(p.charge(), p.customer(), p.intent(), 1000, 400), now + 1));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("refund.updated", refund, now + 2));

        assertEquals(300, p.balance(db));
        assertEquals(1L, db.count("select count(*) from credit_ledger where account_id = $1 and kind = 'refund'",
                p.account()));
    }

    @Test
    void aServiceTokenMayRefundAChargeInFull() {
        Purchases p = Purchases.packBought(db);
        String refundId = StripeEvents.newId("re");
        StripeStub.server().stubFor(post(urlEqualTo("/v1/refunds"))
                .withRequestBody(matching(".*" + p.charge() + ".*"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(StripeObjects.refund(refundId, p.charge(), p.intent(), 1000).toString())));

        given().auth().oauth2(TestTokens.service()).contentType("application/json").header("Idempotency-Key", "k")
                .body(Map.of("charge", p.charge(), "reason", "duplicate")).post("/v1/admin/refunds").then()
                .statusCode(200).body("amount", equalTo(1000));

        assertEquals("charge=" + p.charge() + "&reason=duplicate", StripeStub.server()
                .findAll(postRequestedFor(urlEqualTo("/v1/refunds")).withRequestBody(matching(".*" + p.charge() + ".*")))
                .get(0).getBodyAsString());
        assertEquals(0, p.balance(db));
    }

    @Test
    void badRequestsNeverReachStripe() {
        String intent = StripeEvents.newId("pi");
        given().auth().oauth2(TestTokens.user("acct_x")).contentType("application/json").header("Idempotency-Key", "k")
                .body(Map.of("payment", intent)).post("/v1/admin/refunds").then().statusCode(403);
        given().auth().oauth2(TestTokens.admin()).contentType("application/json")
                .body(Map.of("payment", intent)).post("/v1/admin/refunds").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).contentType("application/json").header("Idempotency-Key", "k")
                .body(Map.of("payment", intent, "charge", "ch_1")).post("/v1/admin/refunds").then().statusCode(400)
                .body("detail", equalTo("Name exactly one of payment (a payment intent, pi_...) or charge (ch_...)."));
        given().auth().oauth2(TestTokens.admin()).contentType("application/json").header("Idempotency-Key", "k")
                .body(Map.of("payment", intent, "amount", 0)).post("/v1/admin/refunds").then().statusCode(400);
        given().auth().oauth2(TestTokens.admin()).contentType("application/json").header("Idempotency-Key", "k")
                .body(Map.of("payment", intent, "reason", "changed_mind")).post("/v1/admin/refunds").then()
                .statusCode(400);
        StripeStub.server().verify(0, postRequestedFor(urlEqualTo("/v1/refunds"))
                .withRequestBody(matching(".*" + intent + ".*")));
    }
}
