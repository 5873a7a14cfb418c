package dev.tollgate.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** Every admin endpoint refuses user and service tokens (403) and requests without a token (401), doing nothing. */
@QuarkusTest
class AdminAccessTest {

    private static final String ACCOUNT = "acct_admin_access";

    @Inject
    Db db;

    record Endpoint(String method, String path, Map<String, Object> body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/v1/admin/accounts/" + ACCOUNT, null),
            new Endpoint("POST", "/v1/admin/accounts/" + ACCOUNT + "/credits", Map.of("amount", 5, "reason", "try")),
            new Endpoint("POST", "/v1/admin/catalog/sync?dry_run=false", null),
            new Endpoint("GET", "/v1/admin/subscriptions/report", null),
            new Endpoint("POST", "/v1/admin/webhook-endpoint", Map.of("url", "https://example.com/hook")));

    static Stream<Arguments> refusals() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            cases.add(Arguments.of(endpoint, "user", 403));
            cases.add(Arguments.of(endpoint, "service", 403));
            cases.add(Arguments.of(endpoint, "none", 401));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1} token -> {2}")
    @MethodSource("refusals")
    void nonAdminsAreRefused(Endpoint endpoint, String token, int status) {
        db.execute("insert into account (id) values ($1) on conflict do nothing", ACCOUNT);
        int stripeCalls = StripeStub.server().findAll(WireMock.anyRequestedFor(WireMock.anyUrl())).size();

        RequestSpecification request = given();
        switch (token) {
            case "user" -> request = request.auth().oauth2(TestTokens.user(ACCOUNT));
            case "service" -> request = request.auth().oauth2(TestTokens.service());
            default -> {
            }
        }
        if (endpoint.body() != null) {
            request = request.contentType("application/json").body(endpoint.body());
        }
        request.request(endpoint.method(), endpoint.path()).then().statusCode(status)
                .contentType("application/problem+json").body("status", equalTo(status));

        assertEquals(stripeCalls, StripeStub.server().findAll(WireMock.anyRequestedFor(WireMock.anyUrl())).size(),
                "a refused request must not reach Stripe");
        assertEquals(0, db.count("select count(*) from credit_ledger where account_id = $1", ACCOUNT));
    }
}
