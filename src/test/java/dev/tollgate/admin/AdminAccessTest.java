package dev.tollgate.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.Management;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Every /v1/admin operation the OpenAPI document lists (so a new admin endpoint is covered without touching
 * this test) refuses requests without a token (401) and with a user or a service token (403), as a
 * problem document, and does nothing: no Stripe call, no credits, no drift check.
 */
@QuarkusTest
@WithTestResource(value = StripeStub.class, scope = TestResourceScope.GLOBAL)
class AdminAccessTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ACCOUNT = "acct_admin_access";
    private static final String PROBLEM = "application/problem+json";

    /** The admin API as it is today: the document must list at least these, so it cannot be vacuously empty. */
    private static final Set<String> KNOWN = Set.of(
            "GET /v1/admin/accounts/{accountId}",
            "POST /v1/admin/accounts/{accountId}/credits",
            "GET /v1/admin/callbacks",
            "GET /v1/admin/callbacks/{id}",
            "POST /v1/admin/callbacks/{id}/redeliver",
            "POST /v1/admin/catalog/sync",
            "GET /v1/admin/events",
            "GET /v1/admin/events/{id}",
            "POST /v1/admin/events/{id}/replay",
            "POST /v1/admin/events/replay-failed",
            "GET /v1/admin/reconciliation/backfill",
            "POST /v1/admin/reconciliation/backfill",
            "GET /v1/admin/reconciliation/catch-up",
            "POST /v1/admin/reconciliation/catch-up",
            "POST /v1/admin/reconciliation/drift",
            "GET /v1/admin/subscriptions/report",
            "POST /v1/admin/webhook-endpoint");

    /** The admin operations the product's backend may call with a service token too (RefundsTest covers them). */
    private static final Set<String> SERVICE_ALLOWED = Set.of("POST /v1/admin/refunds");

    /** Requests an admin would be allowed to make, so that the role alone is what refuses them. */
    private static final Map<String, Object> VALID_BODIES = Map.of(
            "POST /v1/admin/accounts/{accountId}/credits",
            Map.of("amount", 5, "reason", "try", "idempotency_key", "admin-access"),
            "POST /v1/admin/webhook-endpoint", Map.of("url", "https://example.com/hook"),
            "POST /v1/admin/refunds", Map.of("payment", "pi_admin_access", "amount", 100));
    /** The query that makes an operation act, not just look. */
    private static final Map<String, String> QUERIES = Map.of(
            "POST /v1/admin/catalog/sync", "?dry_run=false",
            "POST /v1/admin/reconciliation/backfill", "?restart=true",
            "DELETE /v1/admin/payment-methods/{id}", "?account=" + ACCOUNT + "&force=true");

    @Inject
    Db db;

    record Operation(String method, String template) {
        String key() {
            return method + " " + template;
        }

        /** The path with its parameters filled: the account this test owns, ids that need not exist. */
        String path() {
            return template.replace("{accountId}", ACCOUNT).replaceAll("\\{[^}]+}", "admin_access_x")
                    + QUERIES.getOrDefault(key(), "");
        }
    }

    private record Caller(String name, int status, Supplier<String> token) {
    }

    private static final List<Caller> REFUSED = List.of(
            new Caller("no token", 401, () -> null),
            new Caller("a user token", 403, () -> TestTokens.user(ACCOUNT)),
            new Caller("a service token", 403, TestTokens::service));

    @TestFactory
    Stream<DynamicTest> everyAdminOperationRefusesNonAdmins() {
        List<Operation> operations = adminOperations(openApi());
        assertTrue(keys(operations).containsAll(KNOWN), "the OpenAPI document lists the admin API: " + keys(operations));
        db.execute("insert into account (id) values ($1) on conflict do nothing", ACCOUNT);
        List<DynamicTest> tests = new ArrayList<>();
        for (Operation operation : operations) {
            for (Caller caller : REFUSED) {
                if (caller.name().equals("a service token") && SERVICE_ALLOWED.contains(operation.key())) {
                    continue;
                }
                tests.add(dynamicTest(operation.key() + " with " + caller.name() + " -> " + caller.status(),
                        () -> refused(operation, caller)));
            }
        }
        return tests.stream();
    }

    @Test
    void adminMayReadBackfillProgress() {
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/reconciliation/backfill").then().statusCode(200);
    }

    private void refused(Operation operation, Caller caller) {
        int stripeCalls = stripeCalls();
        long drifts = db.count("select count(*) from drift_check");

        RequestSpecification request = given();
        String token = caller.token().get();
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        Object body = VALID_BODIES.get(operation.key());
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        request.request(operation.method(), operation.path()).then().statusCode(caller.status())
                .contentType(PROBLEM).body("status", equalTo(caller.status()));

        assertEquals(stripeCalls, stripeCalls(), "a refused request must not reach Stripe");
        assertEquals(0, db.count("select count(*) from credit_ledger where account_id = $1", ACCOUNT),
                "a refused request grants nothing");
        assertEquals(drifts, db.count("select count(*) from drift_check"), "a refused request checks nothing");
    }

    private static int stripeCalls() {
        return StripeStub.server().findAll(WireMock.anyRequestedFor(WireMock.anyUrl())).size();
    }

    /** The OpenAPI document, from the management port (the public port does not serve it). */
    private static JsonNode openApi() {
        String json = Management.given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("the OpenAPI document is not JSON: " + json, e);
        }
    }

    private static List<Operation> adminOperations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            if (!path.getKey().startsWith("/v1/admin")) {
                continue;
            }
            for (String method : List.of("get", "post", "put", "patch", "delete", "head", "options")) {
                if (path.getValue().has(method)) {
                    operations.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey()));
                }
            }
        }
        return operations;
    }

    private static Set<String> keys(List<Operation> operations) {
        Set<String> keys = new TreeSet<>();
        operations.forEach(o -> keys.add(o.key()));
        return keys;
    }
}
