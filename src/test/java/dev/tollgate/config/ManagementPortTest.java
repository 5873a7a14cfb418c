package dev.tollgate.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Management;
import dev.tollgate.testing.ProductionLike;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Boots with production's rules (ProductionLike). Health, metrics and the OpenAPI document answer on the management port only:
 * the public port, which the
 * internet reaches through the ingress, serves the API and the webhook and nothing about the service's insides.
 */
@QuarkusTest
@TestProfile(ProductionLike.class)
class ManagementPortTest {

    @Inject
    ProductionSettingsCheck check;

    /** The happy path of production's start-up rules: this profile enforces them, and the service started. */
    @Test
    void productionRulesWereCheckedAtStart() {
        assertTrue(check.passed());
    }

    @Test
    void publicPortDoesNotServeHealthMetricsOrOpenApi() {
        for (String path : new String[] { "/q/health", "/q/health/ready", "/q/metrics", "/q/openapi" }) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void managementPortServesThem() {
        int publicPort = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        assertNotEquals(publicPort, Management.port());
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/health/live").then().statusCode(200);
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("tollgate_webhook_inbox_pending"));
        Management.given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/v1/billing/entitlements"));
    }

    @Test
    void managementPortDoesNotServeTheApi() {
        Management.given().get("/v1/billing/plans").then().statusCode(404);
    }
}
