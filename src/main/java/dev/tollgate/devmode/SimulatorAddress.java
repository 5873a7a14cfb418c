package dev.tollgate.devmode;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.LaunchMode;

/**
 * Where this instance answers on this machine: the Stripe simulator's API base and its pages' address. Asked for at
 * the first Stripe call, once the HTTP server listens: a test's random port is only known then (Quarkus publishes
 * it as quarkus.http.test-port).
 */
@ApplicationScoped
@UnlessBuildProfile("prod")
public class SimulatorAddress {

    /** e.g. http://localhost:8080 */
    String base() {
        String property = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        int port = ConfigProvider.getConfig().getOptionalValue(property, Integer.class).orElse(8080);
        return "http://localhost:" + port;
    }
}
