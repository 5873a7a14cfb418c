package dev.tollgate.profile;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Prices in several currencies: the plans listing in the asked currency, Checkout's currency, and the currency
 * Stripe binds an account to (application.properties sells Pro in eur and the large pack in eur and gbp).
 */
@QuarkusTest
class CurrenciesTest {

    private static final String PRO_MONTHLY = "plans.find { it.id == 'pro' }.prices.find { it.interval == 'monthly' }";
    private static final String TEAM_MONTHLY = "plans.find { it.id == 'team' }.prices.find { it.interval == 'monthly' }";
    /** A form without a currency parameter (the price has one currency: Stripe uses it). */
    private static final String NO_CURRENCY = "(.*&)?currency=.*";

    @Inject
    Db db;

    private String account;
    private final List<StubMapping> stubs = new ArrayList<>();

    @BeforeEach
    void stubStripe() {
        account = StripeEvents.newId("acct");
        stub(post(urlEqualTo("/v1/customers")).withRequestBody(containing("account_id%5D=" + account)),
                StripeFixtures.object("customer").put("id", "cus_" + account).toString());
        stub(post(urlEqualTo("/v1/checkout/sessions")).withRequestBody(containing("client_reference_id=" + account)),
                StripeFixtures.object("checkout.session").put("id", "cs_test_" + account)
                        .put("url", "https://checkout.stripe.com/c/pay/cs_test_x").toString());
    }

    @AfterEach
    void removeStubs() {
        stubs.forEach(StripeStub.server()::removeStub);
    }

    @Test
    void thePlansListingShowsTheAskedCurrencyWhereOffered() {
        given().get("/v1/billing/plans?currency=EUR").then().statusCode(200)
                .body("currency", equalTo("eur"))
                .body(PRO_MONTHLY + ".amount", equalTo(1900)).body(PRO_MONTHLY + ".currency", equalTo("eur"))
                .body(PRO_MONTHLY + ".currencies", contains("usd", "eur"))
                // Team is not sold in eur: the catalog's amount and currency, and it says so.
                .body(TEAM_MONTHLY + ".amount", equalTo(6000)).body(TEAM_MONTHLY + ".currency", equalTo("usd"))
                .body(TEAM_MONTHLY + ".currencies", contains("usd"))
                .body("packs.find { it.id == 'large' }.amount", equalTo(3700))
                .body("packs.find { it.id == 'large' }.currency", equalTo("eur"))
                .body("packs.find { it.id == 'large' }.currencies", contains("usd", "eur", "gbp"))
                .body("packs.find { it.id == 'small' }.currency", equalTo("usd"));
        given().get("/v1/billing/plans").then().statusCode(200).body("currency", equalTo("usd"))
                .body(PRO_MONTHLY + ".amount", equalTo(2000)).body(PRO_MONTHLY + ".currency", equalTo("usd"))
                .body("packs.find { it.id == 'large' }.amount", equalTo(4000));
        given().get("/v1/billing/plans?currency=gbp").then().statusCode(200)
                .body("packs.find { it.id == 'large' }.amount", equalTo(3200))
                .body(PRO_MONTHLY + ".currency", equalTo("usd"));
        given().get("/v1/billing/plans?currency=euro").then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("invalid-currency"))
                .body("detail", containsString("three-letter ISO currency code"));
    }

    @Test
    void checkoutPassesTheChosenCurrencyWhenThePriceHasSeveral() {
        checkout(Map.of("pack", "large", "currency", "gbp")).then().statusCode(200);
        StripeStub.server().verify(1, postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + account))
                .withRequestBody(containing("line_items%5B0%5D%5Bprice%5D=price_pack_large"))
                .withRequestBody(containing("&currency=gbp")));

        // Without one, the catalog's currency is named: Checkout would otherwise pick one by the buyer's location.
        checkout(Map.of("plan", "pro", "interval", "monthly")).then().statusCode(200);
        StripeStub.server().verify(1, postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + account))
                .withRequestBody(containing("line_items%5B0%5D%5Bprice%5D=price_pro_monthly"))
                .withRequestBody(containing("&currency=usd")));

        // A single-currency price: no currency parameter at all, as before.
        checkout(Map.of("pack", "small")).then().statusCode(200);
        StripeStub.server().verify(1, postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("line_items%5B0%5D%5Bprice%5D=price_pack_small"))
                .withRequestBody(containing("client_reference_id=" + account))
                .withRequestBody(notMatching(NO_CURRENCY)));
    }

    @Test
    void aCurrencyThePriceIsNotSoldInIsRefusedBeforeStripeIsCalled() {
        checkout(Map.of("plan", "team", "currency", "eur")).then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("currency-not-offered"))
                .body("detail", equalTo("plan \"team\" monthly is not sold in eur; it is sold in usd."));
        checkout(Map.of("pack", "large", "currency", "jpy")).then().statusCode(400)
                .body("detail", equalTo("pack \"large\" is not sold in jpy; it is sold in usd, eur, gbp."));
        checkout(Map.of("pack", "large", "currency", "e1r")).then().statusCode(400)
                .body("type", containsString("invalid-currency"));
        assertEquals(0, sessions());
    }

    @Test
    void anAccountStripeBoundToACurrencyPaysInIt() {
        String customer = "cus_" + account;
        ObjectNode boundCustomer = StripeObjects.customer(customer, account).put("currency", "eur");
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.updated", boundCustomer, now()));
        assertEquals("eur", db.value("select currency from stripe_customer where id = $1", customer));

        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/profile").then().statusCode(200)
                .body("account", equalTo(account)).body("currency", equalTo("eur"))
                .body("currency_locked", equalTo(true)).body("currency_source", equalTo("customer"));

        checkout(Map.of("plan", "pro", "currency", "usd")).then().statusCode(409)
                .contentType("application/problem+json").body("type", containsString("currency-locked"))
                .body("detail", containsString("The account pays in eur"));
        checkout(Map.of("pack", "small")).then().statusCode(409).body("type", containsString("currency-not-offered"))
                .body("detail", containsString("pack \"small\" is not sold in eur (only in usd)"));
        assertEquals(0, sessions());

        // Leaving currency out pays in the account's.
        checkout(Map.of("plan", "pro", "interval", "yearly")).then().statusCode(200);
        StripeStub.server().verify(1, postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + account))
                .withRequestBody(containing("line_items%5B0%5D%5Bprice%5D=price_pro_yearly"))
                .withRequestBody(containing("&currency=eur")));
    }

    @Test
    void aPaidInvoiceBindsTheAccountBeforeItsCustomerSaysSo() {
        String customer = "cus_" + account;
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/profile").then().statusCode(200)
                .body("currency", equalTo("usd")).body("currency_locked", equalTo(false))
                .body("currency_source", nullValue()).body("tax_ids.size()", equalTo(0));
        // A new customer has no currency yet; its first invoice's currency becomes Stripe's customer.currency.
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.created",
                StripeObjects.customer(customer, account).putNull("currency"), now()));
        ObjectNode invoice = StripeObjects.invoice(StripeEvents.newId("in"), customer, StripeEvents.newId("sub"),
                "paid", 3200).put("currency", "gbp");
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("invoice.paid", invoice, now()));

        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/profile").then().statusCode(200)
                .body("currency", equalTo("gbp")).body("currency_locked", equalTo(true))
                .body("currency_source", equalTo("paid_invoice"));
        // Another user cannot read it.
        given().auth().oauth2(TestTokens.user(StripeEvents.newId("acct"))).get("/v1/billing/profile?account=" + account)
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void aSubscriptionKeepsItsCurrencyThroughChanges() {
        String customer = "cus_" + account;
        String subscription = StripeEvents.newId("sub");
        long now = now();
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.updated",
                StripeObjects.customer(customer, account).put("currency", "eur"), now - 60));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created",
                StripeObjects.subscription(subscription, customer, "active", now - 86_400, now + 86_400), now - 60));

        for (String path : List.of("/v1/billing/subscription/change", "/v1/billing/subscription/preview")) {
            given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                    .body(Map.of("plan", "team")).post(path).then().statusCode(409)
                    .contentType("application/problem+json").body("type", containsString("currency-not-offered"))
                    .body("detail", equalTo("The account pays in eur and plan \"team\" monthly is not sold in eur"
                            + " (only in usd)."));
        }
        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/subscriptions/" + subscription)))
                .size());
        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/invoices/create_preview"))
                .withRequestBody(containing(customer))).size());
    }

    private long sessions() {
        return StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + account))).size();
    }

    private Response checkout(Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(body)
                .post("/v1/billing/checkout-sessions");
    }

    private void stub(MappingBuilder request, String body) {
        stubs.add(StripeStub.server().stubFor(request.willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body))));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
