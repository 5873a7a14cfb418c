package dev.tollgate.pages;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.SimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** GET /billing/tollgate.js: public, a JavaScript module, cacheable and revalidated by its ETag, nothing secret. */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class BillingScriptTest {

    @Test
    void theScriptIsPublicCacheableAndRevalidatedByItsEtag() {
        var answer = given().when().get("/billing/tollgate.js").then().statusCode(200)
                .contentType("text/javascript").header("Cache-Control", equalTo(BillingScriptResource.CACHE_CONTROL))
                .header("ETag", not(emptyString())).body(containsString("customElements.define(\"tollgate-account\""))
                .extract();
        String etag = answer.header("ETag");
        given().header("If-None-Match", etag).when().get("/billing/tollgate.js").then().statusCode(304)
                .header("ETag", equalTo(etag)).body(emptyString());
        given().header("If-None-Match", "\"stale\"").when().get("/billing/tollgate.js").then().statusCode(200);
        String script = answer.asString();
        for (String secret : new String[] { "sk_", "whsec_", "rk_live", "Bearer ey" }) {
            assertFalse(script.contains(secret), "the script must hold no secret, found " + secret);
        }
    }

    @Test
    void anotherOriginAllowedByCorsMayLoadTheModule() {
        given().header("Origin", SimulatorProfile.ORIGIN).when().get("/billing/tollgate.js").then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(SimulatorProfile.ORIGIN));
    }
}
