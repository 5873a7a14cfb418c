package dev.tollgate.testing;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Requests to the management interface (health, metrics, OpenAPI), which listens on its own port. Tests take
 * a random one ({@code quarkus.management.test-port=0}); once the application is up, Quarkus publishes the
 * port it bound as that property's value, so several test JVMs can run side by side.
 */
public final class Management {

    private Management() {
    }

    /** Like RestAssured's {@code given()}, aimed at the management port. */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    public static int port() {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        if (port <= 0) {
            throw new IllegalStateException("The management interface's port is not known yet (" + port + ")");
        }
        return port;
    }
}
