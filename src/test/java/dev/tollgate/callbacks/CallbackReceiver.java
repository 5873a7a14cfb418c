package dev.tollgate.callbacks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The product's callback receivers: one WireMock with two endpoints, both configured as
 * tollgate.callbacks.urls. They acknowledge everything unless a test stubs another answer for its account.
 */
public class CallbackReceiver implements QuarkusTestResourceLifecycleManager {

    public static final String PRIMARY = "/hooks/primary";
    public static final String SECONDARY = "/hooks/secondary";
    /** Priority of the default answer; tests stub with a smaller number to win. */
    static final int DEFAULT_PRIORITY = 100;

    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(64));
        server.start();
        server.stubFor(post(urlPathMatching("/hooks/.*")).atPriority(DEFAULT_PRIORITY)
                .willReturn(aResponse().withStatus(204)));
        return Map.of("tollgate.callbacks.urls", server.baseUrl() + PRIMARY + "," + server.baseUrl() + SECONDARY);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
