package dev.tollgate.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.account.Roles;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

/**
 * Every endpoint that calls Stripe answers 429 with Retry-After once its caller is over the limit: per
 * account for the billing API, per operator for the admin API. The limiter's memory stays within its bound
 * however many accounts call.
 */
@QuarkusTest
@TestProfile(StripeBoundLimitsTest.SmallLimits.class)
class StripeBoundLimitsTest {

    private static final int LIMIT = 3;
    private static final int MAX_TRACKED = 40;

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tollgate.checkout.rate-limit", Integer.toString(LIMIT),
                    "tollgate.rate-limit.operator-limit", Integer.toString(LIMIT),
                    "tollgate.rate-limit.max-tracked", Integer.toString(MAX_TRACKED));
        }
    }

    /** One Stripe-bound endpoint, called by a fresh caller (so rows never share a limit). */
    record Endpoint(String name, Function<String, String> token, String method, String path,
            Function<String, Map<String, Object>> body) {
    }

    private static final Function<String, String> USER = TestTokens::user;
    private static final Function<String, String> SERVICE = id -> Jwt.subject("svc-" + id)
            .groups(Set.of(Roles.SERVICE)).sign();
    private static final Function<String, String> OPERATOR = id -> Jwt.subject("ops-" + id)
            .groups(Set.of(Roles.ADMIN)).sign();

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("checkout create", USER, "POST", "/v1/billing/checkout-sessions",
                    id -> Map.of("pack", "small", "success_url", "https://evil.example.net/x")),
            new Endpoint("checkout confirm", USER, "GET", "/v1/billing/checkout-sessions/not-a-session", null),
            new Endpoint("portal", USER, "POST", "/v1/billing/portal-sessions",
                    id -> Map.of("return_url", "javascript:alert(1)")),
            new Endpoint("payment intent", USER, "POST", "/v1/billing/payment-intents",
                    id -> Map.of("amount", 1, "currency", "usd")),
            new Endpoint("subscription cancel", USER, "POST", "/v1/billing/subscription/cancel", id -> Map.of()),
            new Endpoint("subscription resume", USER, "POST", "/v1/billing/subscription/resume", id -> Map.of()),
            new Endpoint("subscription change", USER, "POST", "/v1/billing/subscription/change",
                    id -> Map.of("plan", "pro")),
            new Endpoint("subscription seats", USER, "POST", "/v1/billing/subscription/seats",
                    id -> Map.of("seats", 2)),
            new Endpoint("subscription discount", USER, "POST", "/v1/billing/subscription/discount",
                    id -> Map.of("promotion_code", "SUMMER20")),
            new Endpoint("subscription discount removal", USER, "DELETE", "/v1/billing/subscription/discount", null),
            new Endpoint("subscription cancel for an account (service)", SERVICE, "POST",
                    "/v1/billing/subscription/cancel", id -> Map.of("account", id)),
            new Endpoint("checkout for an account (service)", SERVICE, "POST", "/v1/billing/checkout-sessions",
                    id -> Map.of("account", id, "plan", "pro")),
            new Endpoint("checkout confirm (service, per caller)", SERVICE, "GET",
                    "/v1/billing/checkout-sessions/not-a-session", null),
            new Endpoint("admin catalog sync", OPERATOR, "POST", "/v1/admin/catalog/sync?dry_run=true", null),
            new Endpoint("admin webhook endpoint", OPERATOR, "POST", "/v1/admin/webhook-endpoint",
                    id -> Map.of("url", "http://not-https.example.com/hook")),
            new Endpoint("admin catch-up", OPERATOR, "POST", "/v1/admin/reconciliation/catch-up", null),
            new Endpoint("admin drift check", OPERATOR, "POST", "/v1/admin/reconciliation/drift?sample=1", null),
            new Endpoint("admin backfill", OPERATOR, "POST", "/v1/admin/reconciliation/backfill", null));

    @Inject
    StripeRateLimiter limiter;

    @Test
    void everyStripeBoundEndpointAnswers429OnceItsCallerIsOverTheLimit() {
        for (Endpoint endpoint : ENDPOINTS) {
            String id = StripeEvents.newId("acct");
            for (int i = 0; i < LIMIT; i++) {
                int status = call(endpoint, id).statusCode();
                assertNotEquals(429, status, endpoint.name() + ": request " + (i + 1) + " is within the limit");
                assertTrue(status < 500 || status == 502 || status == 503,
                        endpoint.name() + " answered " + status);
            }
            Response over = call(endpoint, id);
            assertEquals(429, over.statusCode(), endpoint.name() + ": " + over.body().asString());
            over.then().contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("type", containsString("rate-limited"))
                    .body("detail", containsString("At most " + LIMIT + " requests that call Stripe"));
        }
    }

    @Test
    void manyDistinctAccountsDoNotGrowTheLimiterBeyondItsBound() {
        for (int i = 0; i < MAX_TRACKED * 4; i++) {
            given().auth().oauth2(TestTokens.user(StripeEvents.newId("many"))).contentType("application/json")
                    .body(Map.of("amount", 1, "currency", "usd")).post("/v1/billing/payment-intents").then()
                    .statusCode(400);
            assertTrue(limiter.tracked() <= MAX_TRACKED, "tracked " + limiter.tracked());
        }
        assertTrue(limiter.tracked() == MAX_TRACKED, "tracked " + limiter.tracked());
    }

    private static Response call(Endpoint endpoint, String id) {
        var request = given().auth().oauth2(endpoint.token().apply(id));
        if (endpoint.body() != null) {
            request = request.contentType("application/json").body(endpoint.body().apply(id));
        }
        return switch (endpoint.method()) {
            case "GET" -> request.get(endpoint.path());
            case "DELETE" -> request.delete(endpoint.path());
            default -> request.post(endpoint.path());
        };
    }
}
