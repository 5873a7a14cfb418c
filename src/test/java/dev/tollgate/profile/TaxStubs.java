package dev.tollgate.profile;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.restassured.response.Response;

/** One account's Stripe answers for the tax tests: customer, Checkout, a live Pro subscription, preview, update. */
final class TaxStubs {

    final String account = StripeEvents.newId("acct");
    final String customer = "cus_" + account;
    final String subscription = StripeEvents.newId("sub");
    private final List<StubMapping> stubs = new ArrayList<>();

    TaxStubs() {
        stub(post(urlEqualTo("/v1/customers")).withRequestBody(containing("account_id%5D=" + account)),
                StripeFixtures.object("customer").put("id", customer).toString());
        stub(post(urlEqualTo("/v1/checkout/sessions")).withRequestBody(containing("client_reference_id=" + account)),
                StripeFixtures.object("checkout.session").put("id", "cs_test_" + account)
                        .put("url", "https://checkout.stripe.com/c/pay/cs_test_x").toString());
        ObjectNode preview = StripeFixtures.object("invoice").put("customer", customer).put("currency", "usd");
        preview.putArray("total_taxes").addObject().put("amount", 760).put("tax_behavior", "exclusive");
        stub(post(urlEqualTo("/v1/invoices/create_preview")).withRequestBody(containing("customer=" + customer)),
                preview.toString());
        long now = System.currentTimeMillis() / 1000;
        ObjectNode changed = StripeObjects.subscription(subscription, customer, "active", now - 15 * 86_400L,
                now + 15 * 86_400L);
        ((ObjectNode) changed.path("items").path("data").get(0).path("price")).put("id", "price_team_monthly");
        stub(post(urlEqualTo("/v1/subscriptions/" + subscription)), changed.toString());
    }

    /** A live Pro subscription, delivered a minute ago so that Stripe's answer to a change is newer. */
    TaxStubs subscribed(Db db) {
        long now = System.currentTimeMillis() / 1000;
        Webhooks.deliverAndAwaitApplied(db,
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now - 60));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created",
                StripeObjects.subscription(subscription, customer, "active", now - 15 * 86_400L, now + 15 * 86_400L),
                now - 60));
        return this;
    }

    Response call(String path, Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(body)
                .post(path);
    }

    void removeAll() {
        stubs.forEach(StripeStub.server()::removeStub);
    }

    private void stub(MappingBuilder request, String body) {
        stubs.add(StripeStub.server().stubFor(request.willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body))));
    }
}
