package dev.tollgate.subscription;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeListStubs;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/**
 * POST and DELETE /v1/billing/subscription/discount change the live subscription's discount at Stripe and store
 * Stripe's answer at once; customer.discount.* events are mirrored; GET /v1/billing/subscription shows the discount.
 */
@QuarkusTest
class SubscriptionDiscountsTest {

    private static final String EXPAND = "expand%5B0%5D=discounts.source.coupon&expand%5B1%5D=discounts.promotion_code";

    @Inject
    Db db;

    private final StripeListStubs stubs = new StripeListStubs();
    private String account;
    private String customer;
    private String subId;
    private ObjectNode active;
    private ObjectNode discount;
    private String code;

    @BeforeEach
    void activeSubscriptionAndACode() {
        account = StripeEvents.newId("acct");
        customer = "cus_" + account;
        subId = StripeEvents.newId("sub");
        long now = System.currentTimeMillis() / 1000;
        active = StripeObjects.subscription(subId, customer, "active", now - 86_400, now + 29 * 86_400);
        Webhooks.deliverAndAwaitApplied(db, List.of(
                StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now - 60),
                StripeEvents.event("customer.subscription.created", active.deepCopy(), now - 60)));
        code = StripeEvents.newId("SUMMER").toUpperCase();
        discount = StripeObjects.discount(StripeEvents.newId("di"), customer, subId, code, 25.0, now);
        ObjectNode promo = (ObjectNode) discount.path("promotion_code").deepCopy();
        ((ObjectNode) promo.path("promotion")).set("coupon", discount.path("source").path("coupon").deepCopy());
        promo.putNull("expires_at");
        ObjectNode page = StripeFixtures.MAPPER.createObjectNode().put("object", "list").put("has_more", false)
                .put("url", "/v1/promotion_codes");
        page.putArray("data").add(promo);
        stubs.answer(get(urlPathEqualTo("/v1/promotion_codes")).withQueryParam("code", equalToIgnoreCase(code)), 200,
                page);
    }

    @AfterEach
    void removeStubs() {
        stubs.removeAll();
    }

    @Test
    void aTypedCodeIsAppliedToTheSubscriptionAndShownAtOnce() {
        ObjectNode discounted = active.deepCopy();
        discounted.putArray("discounts").add(discount);
        stubs.answer(post(urlEqualTo("/v1/subscriptions/" + subId)), 200, discounted);

        apply(code.toLowerCase()).then().statusCode(200).body("discount.code", Matchers.equalTo(code))
                .body("discount.percent_off", Matchers.equalTo(25.0f))
                .body("discount.duration", Matchers.equalTo("forever"))
                .body("discount.applies_to", Matchers.equalTo("subscription"))
                .body("discount.end", nullValue());

        StripeStub.server().verify(1, update().withRequestBody(equalTo("discounts%5B0%5D%5Bpromotion_code%5D="
                + discount.path("promotion_code").path("id").asText() + "&" + EXPAND))
                .withHeader("Idempotency-Key", matching("subscription-discount-[0-9a-f-]{36}")));
        assertEquals(code, db.value("select promotion_code from stripe_discount where id = $1", discount.path("id").asText()));
        assertEquals(subId, db.value("select subscription_id from stripe_discount where id = $1",
                discount.path("id").asText()));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/subscription").then()
                .body("discount.id", Matchers.equalTo(discount.path("id").asText()));
    }

    @Test
    void removingTheDiscountEmptiesTheListAtStripeAndMarksItDeleted() {
        ObjectNode discounted = active.deepCopy();
        discounted.putArray("discounts").add(discount);
        stubs.answer(post(urlEqualTo("/v1/subscriptions/" + subId)).withRequestBody(containing("promotion_code")), 200,
                discounted);
        apply(code).then().statusCode(200);
        stubs.answer(post(urlEqualTo("/v1/subscriptions/" + subId)).withRequestBody(equalTo("discounts=&" + EXPAND)),
                200, active.deepCopy());

        given().auth().oauth2(TestTokens.user(account)).delete("/v1/billing/subscription/discount").then()
                .statusCode(200).body("discount", nullValue());

        StripeStub.server().verify(1, update().withRequestBody(equalTo("discounts=&" + EXPAND)));
        assertEquals(true, db.value("select deleted from stripe_discount where id = $1", discount.path("id").asText()));

        // Stripe's customer.discount.deleted, created before Tollgate read the answer, changes nothing more.
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.discount.deleted", discount.deepCopy(),
                System.currentTimeMillis() / 1000 - 1));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/subscription").then()
                .body("discount", nullValue());
    }

    @Test
    void discountEventsAreMirroredAndACustomersDiscountCoversItsSubscription() {
        long now = System.currentTimeMillis() / 1000;
        ObjectNode ofCustomer = StripeObjects.discount(StripeEvents.newId("di"), customer, null, code, 10.0, now - 5);
        ofCustomer.putNull("subscription");
        // As in events: the coupon and promotion code are not expanded.
        ofCustomer.put("promotion_code", "promo_x");
        ((ObjectNode) ofCustomer.path("source")).put("coupon", "coupon_ten");
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.discount.created", ofCustomer, now - 5));

        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/subscription").then().statusCode(200)
                .body("discount.applies_to", Matchers.equalTo("customer"))
                .body("discount.coupon", Matchers.equalTo("coupon_ten"))
                .body("discount.promotion_code", Matchers.equalTo("promo_x"))
                .body("discount", Matchers.not(Matchers.hasKey("percent_off")));

        // The subscription's own discount wins over the customer's.
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.discount.created", discount, now - 4));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/subscription").then()
                .body("discount.id", Matchers.equalTo(discount.path("id").asText()))
                .body("discount.percent_off", Matchers.equalTo(25.0f));

        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.discount.deleted", discount.deepCopy(), now - 3));
        Webhooks.deliverAndAwaitApplied(db, StripeEvents.event("customer.discount.deleted", ofCustomer.deepCopy(), now - 2));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/subscription").then()
                .body("discount", nullValue());
        assertEquals(2, db.count("select count(*) from stripe_discount where customer_id = $1 and deleted", customer));
    }

    @Test
    void anUnknownCodeChangesNothing() {
        ObjectNode page = StripeFixtures.MAPPER.createObjectNode().put("object", "list").put("has_more", false)
                .put("url", "/v1/promotion_codes");
        page.putArray("data");
        stubs.answer(get(urlPathEqualTo("/v1/promotion_codes")).withQueryParam("code", equalToIgnoreCase("NOPE42")),
                200, page);
        apply("NOPE42").then().statusCode(400).contentType("application/problem+json")
                .body("type", containsString("unknown-promotion-code"));
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(Map.of())
                .post("/v1/billing/subscription/discount").then().statusCode(400)
                .contentType("application/problem+json").body("detail", Matchers.equalTo("promotion_code is required."));
        StripeStub.server().verify(0, update());
    }

    @Test
    void anotherAccountCannotTouchTheDiscount() {
        String stranger = StripeEvents.newId("acct");
        given().auth().oauth2(TestTokens.user(stranger)).delete("/v1/billing/subscription/discount?account=" + account)
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.user(stranger)).delete("/v1/billing/subscription/discount").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.user(stranger)).contentType("application/json")
                .body(Map.of("promotion_code", code, "account", account)).post("/v1/billing/subscription/discount")
                .then().statusCode(403);
        StripeStub.server().verify(0, update());
    }

    private RequestPatternBuilder update() {
        return postRequestedFor(urlEqualTo("/v1/subscriptions/" + subId));
    }

    private io.restassured.response.Response apply(String typed) {
        return given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("promotion_code", typed)).post("/v1/billing/subscription/discount");
    }
}
