package dev.tollgate.discounts;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeListStubs;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Promotion codes as customers type them: found through Stripe's promotion-code list by code, sent to
 * Checkout as the promotion code's id, and checked beforehand for a plan or pack.
 */
@QuarkusTest
class PromotionCodesTest {

    private static final long FUTURE = System.currentTimeMillis() / 1000 + 30 * 86_400;

    @Inject
    Db db;

    private final StripeListStubs stubs = new StripeListStubs();
    private String account;

    @BeforeEach
    void stubCheckout() {
        account = StripeEvents.newId("acct");
        stubs.answer(post(urlEqualTo("/v1/customers")).withRequestBody(containing("account_id%5D=" + account)), 200,
                StripeFixtures.object("customer").put("id", "cus_" + account).toString());
        stubs.answer(post(urlEqualTo("/v1/checkout/sessions")).withRequestBody(containing("client_reference_id=" + account)),
                200,
                StripeFixtures.object("checkout.session").put("id", "cs_test_" + account)
                        .put("url", "https://checkout.stripe.com/c/pay/cs_test_" + account).toString());
    }

    @AfterEach
    void removeStubs() {
        stubs.removeAll();
    }

    @Test
    void aTypedCodeIsSentToCheckoutAsThePromotionCodesId() {
        String code = code("SUMMER");
        String id = listed(code, promotion(code, true, FUTURE, coupon(20.0, null)));

        checkout(Map.of("plan", "pro", "interval", "monthly", "promotion_code", code.toLowerCase())).then()
                .statusCode(200).body("id", equalTo("cs_test_" + account));

        // Stripe's list is asked for the code as typed; it matches case-insensitively and only active codes.
        StripeStub.server().verify(getRequestedFor(urlPathEqualTo("/v1/promotion_codes"))
                .withQueryParam("code", WireMock.equalTo(code.toLowerCase()))
                .withQueryParam("active", WireMock.equalTo("true"))
                .withQueryParam("limit", WireMock.equalTo("1"))
                .withQueryParam("expand[]", WireMock.equalTo("data.promotion.coupon")));
        StripeStub.server().verify(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + account))
                .withRequestBody(containing("discounts%5B0%5D%5Bpromotion_code%5D=" + id))
                .withRequestBody(WireMock.notContaining("allow_promotion_codes")));
    }

    @Test
    void creditPackCheckoutsTakeCodesToo() {
        String code = code("PACKS");
        String id = listed(code, promotion(code, true, null, coupon(null, 100L)));

        checkout(Map.of("pack", "small", "quantity", 2, "promotion_code", code)).then().statusCode(200);

        StripeStub.server().verify(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + account))
                .withRequestBody(containing("mode=payment"))
                .withRequestBody(containing("discounts%5B0%5D%5Bpromotion_code%5D=" + id)));
    }

    @Test
    void anUnknownCodeIsRefusedBeforeAnythingIsCreatedInStripe() {
        String code = code("NOPE");
        listed(code);

        checkout(Map.of("plan", "pro", "interval", "monthly", "promotion_code", code)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", containsString("unknown-promotion-code"))
                .body("detail", containsString("\"" + code + "\""));

        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/customers"))
                .withRequestBody(containing(account))).size(), "no Stripe customer for a checkout that failed");
        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing(account))).size());
        assertEquals(0L, db.value("select count(*) from account where id = $1", account));
    }

    @Test
    void anExpiredCodeIsRefusedWithItsReason() {
        String code = code("OLD");
        listed(code, promotion(code, true, System.currentTimeMillis() / 1000 - 60, coupon(10.0, null)));

        checkout(Map.of("plan", "pro", "interval", "monthly", "promotion_code", code)).then().statusCode(400)
                .body("type", containsString("promotion-code-unusable"))
                .body("detail", containsString("has expired"));
    }

    @Test
    void aPageCanCheckACodeForAPlanAndSeeWhatItTakesOff() {
        String code = code("HALF");
        String id = listed(code, promotion(code, true, FUTURE, coupon(25.0, null)));

        // The test catalog sells Pro monthly at 2000 (cents, usd): 25 % off is 500.
        given().auth().oauth2(TestTokens.user(account))
                .get("/v1/billing/promotion-codes/{code}?plan=pro&interval=monthly", code)
                .then().statusCode(200)
                .body("code", equalTo(code)).body("id", equalTo(id))
                .body("applies", equalTo(true)).body("reason", nullValue())
                .body("discount.percent_off", equalTo(25.0f))
                .body("discount.duration", equalTo("repeating"))
                .body("discount.duration_in_months", equalTo(3))
                .body("price.id", equalTo("price_pro_monthly"))
                .body("price.amount", equalTo(2000))
                .body("price.amount_off", equalTo(500))
                .body("price.amount_due", equalTo(1500));
    }

    @Test
    void aCodeRestrictedToAnotherProductOrAboveTheOrderDoesNotApply() {
        String code = code("BIG");
        ObjectNode promo = promotion(code, true, FUTURE, coupon(null, 1000L));
        ((ObjectNode) promo.get("restrictions")).put("minimum_amount", 10_000).put("minimum_amount_currency", "usd");
        listed(code, promo);

        given().auth().oauth2(TestTokens.user(account))
                .get("/v1/billing/promotion-codes/{code}?pack=small", code)
                .then().statusCode(200)
                .body("applies", equalTo(false))
                .body("reason", containsString("at least 10000 usd"))
                .body("price.amount", equalTo(500))
                .body("price.amount_off", equalTo(0))
                .body("restrictions.minimum_amount", equalTo(10_000));
    }

    @Test
    void anInactiveCodeIsAnsweredWithItsReasonAndAnUnknownOneIs404() {
        String inactive = code("GONE");
        listed(inactive, promotion(inactive, false, null, coupon(10.0, null)));
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/promotion-codes/{code}", inactive)
                .then().statusCode(200).body("applies", equalTo(false))
                .body("reason", containsString("no longer active"));

        String unknown = code("WHO");
        listed(unknown);
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/promotion-codes/{code}", unknown)
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString(unknown));
    }

    @Test
    void codesThatCannotExistAreRefusedWithoutAskingStripe() {
        int before = StripeStub.server().findAll(getRequestedFor(urlPathEqualTo("/v1/promotion_codes"))).size();
        given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/promotion-codes/{code}", "no spaces!")
                .then().statusCode(404).contentType("application/problem+json");
        assertEquals(before, StripeStub.server().findAll(getRequestedFor(urlPathEqualTo("/v1/promotion_codes"))).size());
    }

    @Test
    void checkingACodeNeedsAToken() {
        given().get("/v1/billing/promotion-codes/ANY").then().statusCode(401);
    }

    private static String code(String prefix) {
        return StripeEvents.newId(prefix).toUpperCase();
    }

    /** The promotion_code fixture with its coupon expanded, as the list answers with expand[]=data.promotion.coupon. */
    private static ObjectNode promotion(String code, boolean active, Long expiresAt, ObjectNode coupon) {
        ObjectNode promo = StripeFixtures.object("promotion_code").put("id", StripeEvents.newId("promo"))
                .put("code", code).put("active", active);
        if (expiresAt == null) {
            promo.putNull("expires_at");
        } else {
            promo.put("expires_at", expiresAt);
        }
        ((ObjectNode) promo.get("promotion")).set("coupon", coupon);
        return promo;
    }

    private static ObjectNode coupon(Double percentOff, Long amountOff) {
        ObjectNode coupon = StripeFixtures.object("coupon").put("duration", "repeating").put("valid", true);
        if (percentOff == null) {
            coupon.putNull("percent_off");
        } else {
            coupon.put("percent_off", percentOff);
        }
        if (amountOff == null) {
            coupon.putNull("amount_off");
        } else {
            coupon.put("amount_off", amountOff);
        }
        return coupon;
    }

    /** Stubs the list filtered by this code (as typed, any case) with the given promotion codes; returns the first id. */
    private String listed(String code, ObjectNode... promotions) {
        ObjectNode page = StripeFixtures.MAPPER.createObjectNode().put("object", "list").put("has_more", false)
                .put("url", "/v1/promotion_codes");
        for (ObjectNode promotion : promotions) {
            page.withArray("data").add(promotion);
        }
        if (promotions.length == 0) {
            page.putArray("data");
        }
        stubs.answer(get(urlPathEqualTo("/v1/promotion_codes"))
                .withQueryParam("code", WireMock.equalToIgnoreCase(code)), 200, page);
        return promotions.length == 0 ? null : promotions[0].path("id").asText();
    }

    private Response checkout(Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.user(account)).contentType("application/json").body(body)
                .post("/v1/billing/checkout-sessions");
    }
}
