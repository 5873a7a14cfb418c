package dev.tollgate.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The frontend's origin may call the billing API from a browser; any other origin gets no CORS grant. */
@QuarkusTest
class CorsTest {

    @Test
    void preflightFromTheFrontendOriginIsAllowed() {
        given().header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
                .options("/v1/billing/checkout-sessions").then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("https://app.example.com"))
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("Idempotency-Key"));
        given().header("Origin", "https://app.example.com").get("/v1/billing/plans").then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("https://app.example.com"));
    }

    @Test
    void otherOriginsGetNoGrant() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/v1/billing/checkout-sessions").then()
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example").get("/v1/billing/plans").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
