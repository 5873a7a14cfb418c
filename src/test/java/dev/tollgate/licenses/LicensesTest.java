package dev.tollgate.licenses;

import static dev.tollgate.testing.Webhooks.deliverAndAwaitApplied;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** A license is issued when a subscription activates, follows it, and validates for other backends. */
@QuarkusTest
class LicensesTest {

    @Inject
    Db db;

    @Test
    void licenseIsIssuedOnceFollowsTheSubscriptionAndValidates() {
        String account = StripeEvents.newId("acct");
        String customer = "cus_" + account;
        String subId = StripeEvents.newId("sub");
        long now = System.currentTimeMillis() / 1000;
        ObjectNode incomplete = StripeObjects.subscription(subId, customer, "incomplete", now, now + 2_592_000);
        deliverAndAwaitApplied(db, StripeEvents.event("customer.created", StripeObjects.customer(customer, account), now));
        deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.created", incomplete, now));
        assertEquals(0, db.count("select count(*) from license where subscription_id = $1", subId),
                "nothing is issued before the subscription is active");

        ObjectNode active = incomplete.deepCopy().put("status", "active");
        deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.updated", active, now + 1));
        deliverAndAwaitApplied(db, StripeEvents.event("customer.subscription.updated", active.deepCopy(), now + 2));

        String key = given().auth().oauth2(TestTokens.user(account)).get("/v1/billing/licenses").then()
                .statusCode(200).body("$", hasSize(1)).body("[0].key", startsWith("tgl_"))
                .body("[0].plan", equalTo("pro")).body("[0].status", equalTo("active"))
                .extract().path("[0].key");
        validate(key).then().statusCode(200).body("valid", equalTo(true)).body("account", equalTo(account))
                .body("plan", equalTo("pro"));

        deliverAndAwaitApplied(db,
                StripeEvents.event("customer.subscription.updated", active.deepCopy().put("status", "past_due"), now + 3));
        validate(key).then().body("valid", equalTo(true)).body("status", equalTo("past_due"));

        deliverAndAwaitApplied(db,
                StripeEvents.event("customer.subscription.deleted", active.deepCopy().put("status", "canceled"), now + 4));
        validate(key).then().body("valid", equalTo(false)).body("status", equalTo("revoked"));
        assertEquals(1, db.count("select count(*) from license where subscription_id = $1", subId));
    }

    @Test
    void unknownKeysAreInvalidAndOnlyServicesMayValidate() {
        validate("tgl_nope").then().statusCode(200).body("valid", equalTo(false));
        given().auth().oauth2(TestTokens.user("acct-1")).contentType("application/json")
                .body(Map.of("key", "tgl_nope")).post("/v1/licenses/validate").then().statusCode(403);
        given().auth().oauth2(TestTokens.service()).contentType("application/json").body(Map.of())
                .post("/v1/licenses/validate").then().statusCode(400).contentType("application/problem+json");
    }

    private static io.restassured.response.Response validate(String key) {
        return given().auth().oauth2(TestTokens.service()).contentType("application/json").body(Map.of("key", key))
                .post("/v1/licenses/validate");
    }
}
