package dev.tollgate.testing;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A local Stripe API (WireMock) for stripe-java to talk to: the service gets a test secret key and
 * this stub as its API base. Tests stub the answers they need with Stripe-shaped bodies built from
 * fixtures3.json.
 */
public class StripeStub implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        // Stripe answers concurrent requests concurrently: with WireMock's default 25 threads, 50 delayed
        // answers (SlowStripeCustomersTest) would queue in the stub and time out in the client.
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(100));
        server.start();
        return Map.of(
                "tollgate.stripe.secret-key", "sk_test_tollgate_stub",
                "tollgate.stripe.api-base", server.baseUrl(),
                "tollgate.stripe.max-network-retries", "0");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
