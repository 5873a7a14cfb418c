package dev.tollgate.paymentmethods;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** Saved payment methods: mirrored from events, listed, saved, made default, removed; only the account's own. */
@QuarkusTest
class PaymentMethodsTest {

    @Inject
    Db db;

    private String account;
    private String customer;
    private String subId;
    private long now;

    @BeforeEach
    void activeSubscription() {
        account = StripeEvents.newId("acct");
        customer = "cus_" + account;
        subId = StripeEvents.newId("sub");
        now = System.currentTimeMillis() / 1000;
        db.execute("insert into account (id, stripe_customer_id) values ($1, $2)", account, customer);
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now - 10));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created",
                StripeObjects.subscription(subId, customer, "active", now, now + 30 * 86_400L), now - 10));
    }

    @Test
    void theListFollowsAttachDetachAndTheCustomersDefault() {
        String first = attach(customer, "visa", "4242", now - 5);
        String second = attach(customer, "mastercard", "4444", now - 4);
        ObjectNode withDefault = StripeObjects.customer(customer, account);
        withDefault.putObject("invoice_settings").put("default_payment_method", first);
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.updated", withDefault, now - 3));

        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/payment-methods").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items.find { it.id == '" + first + "' }.is_default", equalTo(true))
                .body("items.find { it.id == '" + first + "' }.brand", equalTo("visa"))
                .body("items.find { it.id == '" + first + "' }.last4", equalTo("4242"))
                .body("items.find { it.id == '" + first + "' }.exp_month", equalTo(8))
                .body("items.find { it.id == '" + first + "' }.exp_year", equalTo(2030))
                .body("items.find { it.id == '" + first + "' }.type", equalTo("card"))
                .body("items.find { it.id == '" + second + "' }.is_default", equalTo(false));

        ObjectNode detached = method(second, null, "mastercard", "4444");
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("payment_method.detached", detached, now - 2));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/payment-methods").then()
                .body("items", hasSize(1)).body("items[0].id", equalTo(first));
        // Another account lists nothing of it.
        given().auth().oauth2(TestTokens.user(StripeEvents.newId("acct"))).get("/v1/billing/payment-methods").then()
                .statusCode(200).body("items", hasSize(0));
    }

    @Test
    void aSetupIntentSavesACardForOffSessionRenewals() {
        ObjectNode intent = StripeFixtures.object("setup_intent");
        intent.put("id", "seti_" + account).put("client_secret", "seti_" + account + "_secret_1").put("customer",
                customer);
        StripeStub.server().stubFor(post(urlEqualTo("/v1/setup_intents")).willReturn(json(intent)));

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of())
                .post("/v1/billing/setup-intents").then().statusCode(200)
                .body("id", equalTo("seti_" + account))
                .body("client_secret", equalTo("seti_" + account + "_secret_1"))
                .body("customer", equalTo(customer));

        List<LoggedRequest> sent = StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/setup_intents"))
                .withHeader("Idempotency-Key", matching("setup-intent-.{43}")));
        assertEquals(1, sent.stream().filter(r -> r.getBodyAsString().contains(customer)).count());
        assertEquals("customer=" + customer + "&usage=off_session&automatic_payment_methods%5Benabled%5D=true",
                sent.stream().filter(r -> r.getBodyAsString().contains(customer)).findFirst().orElseThrow()
                        .getBodyAsString());
    }

    @Test
    void theDefaultIsSetOnTheCustomerAndTheLiveSubscription() {
        attach(customer, "visa", "4242", now - 5);
        String chosen = attach(customer, "mastercard", "4444", now - 4);
        ObjectNode updated = StripeObjects.customer(customer, account);
        updated.putObject("invoice_settings").put("default_payment_method", chosen);
        StripeStub.server().stubFor(post(urlEqualTo("/v1/customers/" + customer)).willReturn(json(updated)));
        ObjectNode sub = StripeObjects.subscription(subId, customer, "active", now, now + 30 * 86_400L);
        sub.put("default_payment_method", chosen);
        StripeStub.server().stubFor(post(urlEqualTo("/v1/subscriptions/" + subId)).willReturn(json(sub)));

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of())
                .post("/v1/billing/payment-methods/" + chosen + "/default").then().statusCode(200)
                .body("items.find { it.id == '" + chosen + "' }.is_default", equalTo(true));

        assertEquals("invoice_settings%5Bdefault_payment_method%5D=" + chosen, onlyBody("/v1/customers/" + customer));
        assertEquals("default_payment_method=" + chosen, onlyBody("/v1/subscriptions/" + subId));
    }

    @Test
    void theLastMethodOfALiveSubscriptionStaysUnlessAnOperatorForces() {
        String only = attach(customer, "visa", "4242", now - 5);
        ObjectNode detached = method(only, null, "visa", "4242");
        StripeStub.server().stubFor(post(urlEqualTo("/v1/payment_methods/" + only + "/detach"))
                .willReturn(json(detached)));

        given().auth().oauth2(TestTokens.user(account)).delete("/v1/billing/payment-methods/" + only).then()
                .statusCode(409).contentType("application/problem+json");
        StripeStub.server().verify(0, postRequestedFor(urlEqualTo("/v1/payment_methods/" + only + "/detach")));

        given().auth().oauth2(TestTokens.admin()).delete("/v1/admin/payment-methods/" + only + "?account=" + account
                + "&force=true").then().statusCode(204);
        StripeStub.server().verify(1, postRequestedFor(urlEqualTo("/v1/payment_methods/" + only + "/detach"))
                .withHeader("Idempotency-Key", matching("detach-payment-method-.{43}")));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/payment-methods").then()
                .body("items", hasSize(0));
    }

    @Test
    void aSecondMethodCanBeRemoved() {
        attach(customer, "visa", "4242", now - 5);
        String spare = attach(customer, "mastercard", "4444", now - 4);
        StripeStub.server().stubFor(post(urlEqualTo("/v1/payment_methods/" + spare + "/detach"))
                .willReturn(json(method(spare, null, "mastercard", "4444"))));

        given().auth().oauth2(TestTokens.user(account)).delete("/v1/billing/payment-methods/" + spare).then()
                .statusCode(200).body("items", hasSize(1));
        assertEquals("", onlyBody("/v1/payment_methods/" + spare + "/detach"));
    }

    @Test
    void anotherAccountsPaymentMethodIsNotFoundAndStripeIsNeverAsked() {
        String stranger = StripeEvents.newId("acct");
        String theirs = attach("cus_" + stranger, "visa", "4242", now - 5);

        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of())
                .post("/v1/billing/payment-methods/" + theirs + "/default").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.user(account)).delete("/v1/billing/payment-methods/" + theirs).then()
                .statusCode(404).contentType("application/problem+json");

        StripeStub.server().verify(0, postRequestedFor(urlEqualTo("/v1/payment_methods/" + theirs + "/detach")));
        StripeStub.server().verify(0, postRequestedFor(urlEqualTo("/v1/customers/" + customer)));
        assertEquals(0, StripeStub.server().findAll(postRequestedFor(anyUrl())
                .withRequestBody(matching(".*" + theirs + ".*"))).size());
    }

    private String attach(String owner, String brand, String last4, long at) {
        String id = StripeEvents.newId("pm");
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("payment_method.attached",
                method(id, owner, brand, last4), at));
        return id;
    }

    private static ObjectNode method(String id, String owner, String brand, String last4) {
        ObjectNode method = StripeFixtures.object("payment_method");
        method.put("id", id);
        if (owner == null) {
            method.putNull("customer");
        } else {
            method.put("customer", owner);
        }
        ((ObjectNode) method.path("card")).put("brand", brand).put("last4", last4);
        return method;
    }

    private static String onlyBody(String path) {
        List<LoggedRequest> sent = StripeStub.server().findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(1, sent.size(), "one request to " + path);
        return sent.get(0).getBodyAsString();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(ObjectNode body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
    }
}
