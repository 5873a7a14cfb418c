package dev.tollgate.checkout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
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
import com.github.tomakehurst.wiremock.client.MappingBuilder;

import dev.tollgate.stripe.StripeKeys;
import dev.tollgate.testing.Barriers;
import dev.tollgate.testing.Db;
import dev.tollgate.testing.Inbox;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Checkout, confirmation and portal against a stubbed Stripe that answers with fixtures3.json shapes. */
@QuarkusTest
class CheckoutTest {

    private static final String SESSION_URL = "https://checkout.stripe.com/c/pay/cs_test_stub";

    @Inject
    Db db;

    private String account;

    @BeforeEach
    void stubStripe() {
        account = StripeEvents.newId("acct");
        ObjectNode customer = StripeFixtures.object("customer").put("id", "cus_" + account);
        stub(post(urlEqualTo("/v1/customers")).withRequestBody(containing("account_id%5D=" + account)), 200,
                customer.toString());
        ObjectNode session = StripeFixtures.object("checkout.session").put("id", "cs_test_" + account)
                .put("url", SESSION_URL);
        stub(post(urlEqualTo("/v1/checkout/sessions")).withRequestBody(containing("client_reference_id=" + account)),
                200, session.toString());
        stub(post(urlEqualTo("/v1/billing_portal/sessions")).withRequestBody(containing("cus_" + account)), 200,
                StripeFixtures.object("billing_portal.session").put("url", "https://billing.stripe.com/p/session/x")
                        .toString());
    }

    @Test
    void planCheckoutIsCreatedForTheCallersAccount() {
        checkout(Map.of("plan", "pro", "interval", "yearly", "allow_promotion_codes", true), "key-1").then()
                .statusCode(200).body("id", org.hamcrest.Matchers.equalTo("cs_test_" + account))
                .body("url", org.hamcrest.Matchers.equalTo(SESSION_URL));

        StripeStub.server().verify(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", equalTo(StripeKeys.of("checkout", account, "key-1")))
                .withRequestBody(containing("mode=subscription"))
                .withRequestBody(containing("line_items%5B0%5D%5Bprice%5D=price_pro_yearly"))
                .withRequestBody(containing("subscription_data%5Btrial_period_days%5D=14"))
                .withRequestBody(containing("allow_promotion_codes=true"))
                .withRequestBody(containing("customer=cus_" + account))
                .withRequestBody(containing("success_url=https%3A%2F%2Fapp.example.com%2Fbilling%2Fsuccess")));
        assertEquals("cus_" + account, db.value("select stripe_customer_id from account where id = $1", account));
    }

    @Test
    void packCheckoutIsAOneTimePaymentWithItsQuantity() {
        checkout(Map.of("pack", "small", "quantity", 3, "success_url", "https://app.example.com/thanks"), null).then()
                .statusCode(200);
        StripeStub.server().verify(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("mode=payment"))
                .withRequestBody(containing("line_items%5B0%5D%5Bquantity%5D=3"))
                .withRequestBody(containing("invoice_creation%5Benabled%5D=true"))
                .withRequestBody(containing("metadata%5Bpack%5D=small")));
    }

    @Test
    void invalidRequestsAreRefusedBeforeStripeIsCalled() {
        checkout(Map.of("plan", "pro", "success_url", "https://evil.example.net/phish"), null).then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("redirect-url-not-allowed"));
        checkout(Map.of("plan", "pro", "cancel_url", "https://app.example.com.evil.net/x"), null).then()
                .statusCode(400);
        checkout(Map.of("plan", "platinum"), null).then().statusCode(400).body("type", containsString("unknown-plan"));
        checkout(Map.of("plan", "pro", "pack", "small"), null).then().statusCode(400);
        checkout(Map.of("pack", "small", "quantity", 0), null).then().statusCode(400);
        checkout(Map.of("plan", "pro", "interval", "weekly"), null).then().statusCode(400);

        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing(account))).size());
    }

    @Test
    void secondSubscriptionIsRefusedWithAPointerToChangingIt() {
        ObjectNode event = StripeEvents.event("customer.created", StripeObjects.customer("cus_" + account, account),
                now());
        ObjectNode sub = StripeEvents.event("customer.subscription.created", StripeObjects.subscription(
                StripeEvents.newId("sub"), "cus_" + account, "active", now(), now() + 2_592_000), now());
        for (ObjectNode e : List.of(event, sub)) {
            Webhooks.deliverAndAwaitApplied(db, e);
        }
        checkout(Map.of("plan", "team"), null).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("/v1/billing/subscription/change"));
        // Credit packs are still fine.
        checkout(Map.of("pack", "small"), null).then().statusCode(200);
    }

    @Test
    void concurrentFirstCheckoutsCreateOneCustomer() throws Exception {
        int clients = 6;
        CyclicBarrier start = new CyclicBarrier(clients);
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                Barriers.await(start);
                return checkout(Map.of("pack", "small"), null).statusCode();
            }));
        }
        for (CompletableFuture<Integer> call : calls) {
            assertEquals(200, call.get());
        }
        // No lock is held while Stripe answers: each first checkout may ask, but all with the key derived from
        // the account, so Stripe creates one customer and answers it to each of them.
        List<String> keys = StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/customers"))
                .withRequestBody(containing("account_id%5D=" + account))).stream()
                .map(r -> r.getHeader("Idempotency-Key")).distinct().toList();
        assertEquals(List.of(StripeKeys.of("tollgate-customer", account)), keys);
        assertEquals("cus_" + account, db.value("select stripe_customer_id from account where id = $1", account));
    }

    @Test
    void stripeFailuresBecomeRetryableProblems() {
        stub(post(urlEqualTo("/v1/checkout/sessions")).withRequestBody(containing("client_reference_id=" + account))
                .atPriority(1), 500, "{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}");
        checkout(Map.of("pack", "small"), null).then().statusCode(502).contentType("application/problem+json")
                .header("Retry-After", "5").body("type", containsString("stripe-unavailable"));

        stub(post(urlEqualTo("/v1/checkout/sessions")).withRequestBody(containing("client_reference_id=" + account))
                .atPriority(1), 429, "{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}");
        checkout(Map.of("pack", "small"), null).then().statusCode(503).header("Retry-After", "5");

        stub(post(urlEqualTo("/v1/checkout/sessions")).withRequestBody(containing("client_reference_id=" + account))
                .atPriority(1), 400, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such price\"}}");
        checkout(Map.of("pack", "small"), null).then().statusCode(400).body("detail", containsString("No such price"));
    }

    @Test
    void paymentStartsAreRateLimitedPerAccount() {
        for (int i = 0; i < 10; i++) {
            checkout(Map.of("plan", "pro", "success_url", "https://evil.example.net"), null).then().statusCode(400);
        }
        checkout(Map.of("plan", "pro"), null).then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .contentType("application/problem+json");
        // Another account is not affected.
        given().auth().oauth2(TestTokens.user(StripeEvents.newId("acct"))).contentType("application/json")
                .body(Map.of("plan", "pro", "success_url", "https://evil.example.net")).post("/v1/billing/checkout-sessions")
                .then().statusCode(400);
    }

    @Test
    void confirmFulfilsAtOnceAndTheLateWebhookChangesNothing() throws Exception {
        ObjectNode paid = paidPackSession();
        stub(get(urlEqualTo("/v1/checkout/sessions/" + paid.path("id").asText())), 200, paid.toString());

        // The success page and the webhook race.
        ObjectNode webhook = StripeEvents.event("checkout.session.completed", paid.deepCopy(), now());
        CompletableFuture<Integer> confirm = CompletableFuture.supplyAsync(() -> given()
                .auth().oauth2(TestTokens.user(account)).get("/v1/billing/checkout-sessions/" + paid.path("id").asText())
                .statusCode());
        Webhooks.deliver(webhook).then().statusCode(200);
        assertEquals(200, confirm.get());
        Inbox.awaitProcessed(db, webhook.path("id").asText());

        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/credits").then().statusCode(200)
                .body("balance", org.hamcrest.Matchers.equalTo(500)).body("total", org.hamcrest.Matchers.equalTo(1));
        assertEquals("complete", db.value("select status from stripe_checkout_session where id = $1",
                paid.path("id").asText()));
    }

    @Test
    void anotherAccountsSessionCannotBeConfirmed() {
        ObjectNode paid = paidPackSession();
        stub(get(urlEqualTo("/v1/checkout/sessions/" + paid.path("id").asText())), 200, paid.toString());
        given().auth().oauth2(TestTokens.user(StripeEvents.newId("acct")))
                .get("/v1/billing/checkout-sessions/" + paid.path("id").asText()).then().statusCode(404)
                .contentType("application/problem+json");
        assertEquals(0, db.count("select count(*) from credit_ledger where account_id = $1", account));
    }

    @Test
    void paymentIntentIsCreatedWithinBoundsAndCurrencies() {
        ObjectNode intent = StripeFixtures.object("payment_intent").put("id", "pi_" + account).put("amount", 1500)
                .put("currency", "eur").put("client_secret", "pi_" + account + "_secret_x");
        stub(post(urlEqualTo("/v1/payment_intents")).withRequestBody(containing("account_id%5D=" + account)), 200,
                intent.toString());

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("amount", 1500, "currency", "EUR", "description", "Top-up")).post("/v1/billing/payment-intents")
                .then().statusCode(200).body("id", org.hamcrest.Matchers.equalTo("pi_" + account))
                .body("client_secret", org.hamcrest.Matchers.equalTo("pi_" + account + "_secret_x"));
        StripeStub.server().verify(postRequestedFor(urlEqualTo("/v1/payment_intents"))
                .withRequestBody(containing("amount=1500")).withRequestBody(containing("currency=eur"))
                .withRequestBody(containing("customer=cus_" + account)));

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("amount", 10, "currency", "usd")).post("/v1/billing/payment-intents").then().statusCode(400)
                .body("type", containsString("invalid-amount"));
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("amount", 1500, "currency", "xyz")).post("/v1/billing/payment-intents").then()
                .statusCode(400).body("type", containsString("invalid-currency"));
    }

    @Test
    void portalOpensForTheAccountsCustomer() {
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of())
                .post("/v1/billing/portal-sessions").then().statusCode(200)
                .body("url", org.hamcrest.Matchers.equalTo("https://billing.stripe.com/p/session/x"));
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("return_url", "javascript:alert(1)")).post("/v1/billing/portal-sessions").then()
                .statusCode(400);
    }

    private ObjectNode paidPackSession() {
        ObjectNode session = StripeObjects.checkoutSession("cs_test_paid_" + account, "cus_" + account, account,
                "payment", "paid");
        session.put("payment_intent", StripeEvents.newId("pi")).put("amount_total", 500);
        session.putObject("metadata").put("account_id", account).put("pack", "small").put("quantity", "1");
        return session;
    }

    private Response checkout(Map<String, Object> body, String idempotencyKey) {
        var request = given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/v1/billing/checkout-sessions");
    }

    private static void stub(MappingBuilder request, int status, String body) {
        StripeStub.server().stubFor(request.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

}
