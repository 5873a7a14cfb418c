package dev.tollgate.admin.reconciliation;

import static io.restassured.RestAssured.given;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** Reconciliation is for operators only: users and other backends get 403, no token 401. */
@QuarkusTest
@WithTestResource(value = StripeStub.class, scope = TestResourceScope.GLOBAL)
class ReconciliationAdminAccessTest {

    private record Call(String method, String path) {
    }

    private static final List<Call> CALLS = List.of(
            new Call("POST", "/v1/admin/reconciliation/catch-up"),
            new Call("GET", "/v1/admin/reconciliation/catch-up"),
            new Call("POST", "/v1/admin/reconciliation/backfill"),
            new Call("GET", "/v1/admin/reconciliation/backfill"),
            new Call("POST", "/v1/admin/reconciliation/drift"));

    @Test
    void userAndServiceTokensAreForbidden() {
        for (String token : List.of(TestTokens.user("acct-recon"), TestTokens.service())) {
            for (Call call : CALLS) {
                send(given().auth().oauth2(token), call).then().statusCode(403)
                        .contentType("application/problem+json");
            }
        }
    }

    @Test
    void noTokenIsUnauthorized() {
        for (Call call : CALLS) {
            send(given(), call).then().statusCode(401).contentType("application/problem+json");
        }
    }

    @Test
    void adminMayReadBackfillProgress() {
        send(given().auth().oauth2(TestTokens.admin()), CALLS.get(3)).then().statusCode(200);
    }

    private static io.restassured.response.Response send(RequestSpecification request, Call call) {
        return call.method().equals("POST") ? request.post(call.path()) : request.get(call.path());
    }
}
