package dev.tollgate.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.tollgate.account.Roles;
import dev.tollgate.common.ProblemException;
import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeListStubs;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

/**
 * What Tollgate sends to Stripe, asserted on the form parameters and headers the stub received:
 * idempotency keys that never collide across accounts and always fit, account ids Stripe can take, the
 * customer's email (never a service token's), and what callers are told when Stripe refuses.
 */
@QuarkusTest
class StripeRequestsTest {

    private static final int STRIPE_KEY_LIMIT = 255;

    @Inject
    Db db;

    @Inject
    StripeApi stripe;

    private final StripeListStubs stubs = new StripeListStubs();

    @AfterEach
    void removeStubs() {
        stubs.removeAll();
    }

    @Test
    void idempotencyKeysOfDifferentAccountsNeverMeet() {
        // Joined with '-', account "a" with key "b-x" and account "a-b" with key "x" used to send the same key.
        String first = StripeEvents.newId("acct");
        String second = first + "-b";
        stubCustomerAndSession(first);
        stubCustomerAndSession(second);

        checkout(TestTokens.user(first), Map.of("pack", "small"), "b-x").then().statusCode(200);
        checkout(TestTokens.user(second), Map.of("pack", "small"), "x").then().statusCode(200);

        LoggedRequest a = single(sessionsFor(first));
        LoggedRequest b = single(sessionsFor(second));
        assertNotEquals(a.getHeader("Idempotency-Key"), b.getHeader("Idempotency-Key"));
        assertEquals(first, form(a).get("client_reference_id"));
        assertEquals(second, form(b).get("client_reference_id"));
    }

    @Test
    void theLongestAccountIdAndClientKeyStillFitStripesLimits() {
        String unique = StripeEvents.newId("x");
        String account = "a".repeat(200 - unique.length()) + unique;
        assertEquals(200, account.length());
        stubCustomerAndSession(account);

        // Before: 200 + 46 characters made stripe-java refuse the key, a 500 "safe to retry" after the
        // customer already existed, and every retry failed the same way.
        checkout(TestTokens.user(account), Map.of("plan", "pro"), "k".repeat(200)).then().statusCode(200)
                .body("id", equalTo("cs_test_" + account.substring(180)));

        LoggedRequest customer = single(StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/customers"))
                .withRequestBody(containing(account))));
        LoggedRequest session = single(sessionsFor(account));
        for (LoggedRequest request : List.of(customer, session)) {
            assertTrue(request.getHeader("Idempotency-Key").length() <= STRIPE_KEY_LIMIT);
        }
        Map<String, String> sent = form(session);
        assertEquals(account, sent.get("client_reference_id"));
        assertEquals(account, sent.get("metadata[account_id]"));
        assertEquals(account, sent.get("subscription_data[metadata][account_id]"));
        assertEquals("cus_" + account.substring(180), sent.get("customer"));
    }

    @Test
    void accountIdsStripeCannotTakeAreRefusedBeforeStripeIsCalled() {
        String tooLong = "b".repeat(201);
        checkout(TestTokens.user(tooLong), Map.of("pack", "small"), null).then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("account-id-too-long"))
                .body("detail", containsString("at most 200 characters"));
        String muchTooLong = "c".repeat(238);
        checkout(TestTokens.service(), Map.of("pack", "small", "account", muchTooLong), null).then().statusCode(400)
                .body("type", containsString("account-id-too-long"));
        given().auth().oauth2(TestTokens.service()).contentType("application/json")
                .body(Map.of("account", muchTooLong)).post("/v1/billing/portal-sessions").then().statusCode(400)
                .body("type", containsString("account-id-too-long"));

        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/customers"))
                .withRequestBody(containing("b".repeat(201)))).size());
        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/customers"))
                .withRequestBody(containing(muchTooLong))).size());
        assertEquals(0, db.count("select count(*) from account where id in ($1, $2)", tooLong, muchTooLong));
    }

    @Test
    void aRequestStripeJavaRefusesToSendIsAPreciseProblemNotARetry() {
        ProblemException refused = assertThrows(ProblemException.class, () -> stripe
                .post("customers.create", "/v1/customers", new StripeForm().add("metadata[account_id]", "x"),
                        "k".repeat(256))
                .await().atMost(Duration.ofSeconds(10)));
        assertEquals(500, refused.problem().status());
        assertTrue(refused.problem().type().endsWith("/stripe-request-refused"), refused.problem().type());
        assertTrue(refused.problem().detail().contains("255"), refused.problem().detail());
        assertTrue(refused.problem().detail().contains("fails the same way"), refused.problem().detail());
        assertEquals(Map.of(), refused.headers(), "no Retry-After: retrying cannot help");
    }

    @Test
    void aServiceCallCreatesTheCustomerWithoutTheServiceTokensEmail() {
        String account = StripeEvents.newId("acct");
        stubCustomerAndSession(account);
        String serviceWithEmail = Jwt.subject("svc-backend").claim("email", "backend@corp.example")
                .groups(Set.of(Roles.SERVICE)).sign();

        checkout(serviceWithEmail, Map.of("pack", "small", "account", account), null).then().statusCode(200);

        assertEquals(Map.of("metadata[account_id]", account), form(single(customersFor(account))));
        assertEquals(null, db.value("select email from account where id = $1", account));
    }

    @Test
    void theCustomersEmailComesFromTheBodyOrTheUsersOwnToken() {
        String fromBody = StripeEvents.newId("acct");
        stubCustomerAndSession(fromBody);
        checkout(TestTokens.service(), Map.of("pack", "small", "account", fromBody, "email", "payer@example.com"),
                null).then().statusCode(200);
        assertEquals(Map.of("metadata[account_id]", fromBody, "email", "payer@example.com"),
                form(single(customersFor(fromBody))));

        String fromToken = StripeEvents.newId("acct");
        stubCustomerAndSession(fromToken);
        String user = Jwt.subject(fromToken).claim("email", "user@example.com").groups(Set.of(Roles.USER)).sign();
        checkout(user, Map.of("pack", "small"), null).then().statusCode(200);
        assertEquals(Map.of("metadata[account_id]", fromToken, "email", "user@example.com"),
                form(single(customersFor(fromToken))));

        checkout(TestTokens.service(), Map.of("pack", "small", "account", StripeEvents.newId("acct"), "email",
                "not an email"), null).then().statusCode(400).body("type", containsString("invalid-email"));
    }

    @Test
    void invalidRequestMessagesNamingOtherCustomersObjectsAreReplaced() {
        String account = StripeEvents.newId("acct");
        stubCustomerAndSession(account);
        stubs.answer(post(urlEqualTo("/v1/checkout/sessions")).withRequestBody(containing("client_reference_id=" + account))
                .atPriority(1), 400,
                error("invalid_request_error", "resource_missing", "customer",
                        "No such customer: 'cus_SomeoneElse42'; a similar object exists in live mode"));
        checkout(TestTokens.user(account), Map.of("pack", "small"), null).then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("stripe-invalid-request"))
                .body("detail", not(containsString("cus_SomeoneElse42")))
                .body("detail", equalTo("Stripe refused the request as invalid. Code: resource_missing. Parameter:"
                        + " customer."));

        // Messages without object ids stay as Stripe wrote them.
        stubs.answer(post(urlEqualTo("/v1/checkout/sessions")).withRequestBody(containing("client_reference_id=" + account))
                .atPriority(1), 400, error("invalid_request_error", null, "success_url", "Not a valid URL"));
        checkout(TestTokens.user(account), Map.of("pack", "small"), null).then().statusCode(400)
                .body("detail", equalTo("Not a valid URL"));
    }

    @Test
    void cardErrorsKeepStripesCustomerFacingText() {
        String account = StripeEvents.newId("acct");
        stubCustomerAndSession(account);
        stubs.answer(post(urlEqualTo("/v1/payment_intents")).withRequestBody(containing("account_id%5D=" + account)), 402,
                error("card_error", "card_declined", null, "Your card was declined."));
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body(Map.of("amount", 1500, "currency", "usd")).post("/v1/billing/payment-intents").then()
                .statusCode(402).body("detail", equalTo("Your card was declined.")).header("Retry-After", nullValue());
    }

    private void stubCustomerAndSession(String account) {
        String suffix = account.length() > 20 ? account.substring(account.length() - 20) : account;
        stubs.answer(post(urlEqualTo("/v1/customers")).withRequestBody(containing("account_id%5D=" + account)), 200,
                StripeFixtures.object("customer").put("id", "cus_" + suffix).toString());
        ObjectNode session = StripeFixtures.object("checkout.session").put("id", "cs_test_" + suffix)
                .put("url", "https://checkout.stripe.com/c/pay/cs_test_" + suffix);
        stubs.answer(post(urlEqualTo("/v1/checkout/sessions")).withRequestBody(containing("client_reference_id=" + account)),
                200, session.toString());
    }

    private static String error(String type, String code, String param, String message) {
        ObjectNode body = StripeFixtures.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error").put("type", type).put("message", message);
        if (code != null) {
            error.put("code", code);
        }
        if (param != null) {
            error.put("param", param);
        }
        return body.toString();
    }

    private static List<LoggedRequest> sessionsFor(String account) {
        return StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + account + "&")));
    }

    private static List<LoggedRequest> customersFor(String account) {
        return StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/customers"))
                .withRequestBody(containing("account_id%5D=" + account)));
    }

    private static LoggedRequest single(List<LoggedRequest> requests) {
        assertEquals(1, requests.size(), "requests: " + requests.size());
        return requests.get(0);
    }

    /** The form parameters of a request, decoded. */
    static Map<String, String> form(LoggedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            String[] parts = pair.split("=", 2);
            form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }

    private static Response checkout(String token, Map<String, Object> body, String idempotencyKey) {
        var request = given().auth().oauth2(token).contentType("application/json").body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/v1/billing/checkout-sessions");
    }
}
