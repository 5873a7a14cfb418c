package dev.tollgate.devmode;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.ProductionLike;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Under production's rules the dev endpoints do not exist. (The production build also leaves them out:
 * DevResource is {@code @UnlessBuildProfile("prod")}.)
 */
@QuarkusTest
@TestProfile(ProductionLike.class)
class DevEndpointProductionTest {

    @Test
    void productionAnswers404ForTokensAndScenarios() {
        given().queryParam("account", "acct-1").queryParam("role", "admin").when().post("/dev/token").then()
                .statusCode(404).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.equalTo("Nothing is served at /dev/token."));
        given().queryParam("account", "acct-1").when().post("/dev/scenarios/subscribe").then().statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/dev/scenarios").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void productionAnswers404ForTheStripeSimulatorAndTheDemoPage() {
        given().contentType("application/x-www-form-urlencoded").body("metadata%5Baccount_id%5D=acct-1").when()
                .post("/dev/stripe/v1/customers").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/dev/stripe/checkout/cs_test_1").then().statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/billing/demo").then().statusCode(404).contentType("application/problem+json");
        // The components' script is not dev-only: it is public in production too.
        given().when().get("/billing/tollgate.js").then().statusCode(200).contentType("text/javascript");
    }
}
