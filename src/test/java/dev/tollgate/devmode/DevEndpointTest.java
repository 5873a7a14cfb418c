package dev.tollgate.devmode;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** POST /dev/token and /dev/scenarios outside production: tokens the service accepts, clear refusals. */
@QuarkusTest
class DevEndpointTest {

    @Test
    void aDevTokenIsAcceptedForItsAccountAndRole() {
        String user = given().queryParam("account", "acct-devtoken").queryParam("role", "user").when()
                .post("/dev/token").then().statusCode(200).contentType(containsString("text/plain")).extract()
                .asString();
        given().auth().oauth2(user).when().get("/v1/billing/entitlements").then().statusCode(200)
                .body("account", equalTo("acct-devtoken"));
        given().auth().oauth2(user).when().get("/v1/admin/events").then().statusCode(403);

        String admin = given().queryParam("account", "ops").queryParam("role", "admin").when().post("/dev/token")
                .then().statusCode(200).extract().asString();
        given().auth().oauth2(admin).when().get("/v1/admin/events").then().statusCode(200);
    }

    @Test
    void anUnknownRoleOrScenarioIsRefusedWithTheChoices() {
        given().queryParam("role", "root").when().post("/dev/token").then().statusCode(400)
                .contentType("application/problem+json").body("detail", equalTo("role must be user, service or admin."));
        given().queryParam("account", "acct-x").when().post("/dev/scenarios/upgrade").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("subscribe, renew, payment-failed, cancel, buy-pack, refund"));
        given().when().get("/dev/scenarios").then().statusCode(200)
                .body("$", hasItems("subscribe", "renew", "payment-failed", "cancel", "buy-pack", "refund"));
    }

    @Test
    void aScenarioAnswersWithEachEventAndItsInboxStatus() {
        given().queryParam("account", "acct-devplay").when().post("/dev/scenarios/buy-pack").then().statusCode(200)
                .body("scenario", equalTo("buy-pack")).body("account", equalTo("acct-devplay"))
                .body("events.type", org.hamcrest.Matchers.contains("customer.created", "charge.succeeded",
                        "payment_intent.succeeded", "payment_intent.created", "checkout.session.completed"))
                .body("events.http_status", org.hamcrest.Matchers.everyItem(equalTo(200)))
                .body("events.status", org.hamcrest.Matchers.everyItem(equalTo("applied")));
    }
}
