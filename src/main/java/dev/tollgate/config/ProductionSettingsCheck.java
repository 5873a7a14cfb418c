package dev.tollgate.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Stops the production service at start when {@link ProductionSettings} refuses its configuration: as the
 * first StartupEvent observer it runs after the migrations and before the webhook processor, the callback
 * loop and the other start-up observers, and the failed start exits the process, so readiness never passes.
 * A service that verifies tokens of any issuer or sends customers back to localhost must not take traffic.
 * Dev mode and tests keep their local defaults unless a test profile sets {@value #ENFORCE} to boot with
 * production's rules.
 */
@ApplicationScoped
public class ProductionSettingsCheck {

    /** Test profiles only: the production jar always enforces, whatever this says. */
    static final String ENFORCE = "tollgate.config.enforce-production-rules";
    private static final Logger LOG = Logger.getLogger(ProductionSettingsCheck.class);

    private volatile boolean passed;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        if (!ProductionRules.apply()) {
            return;
        }
        ProductionSettings.Verdict verdict = ProductionSettings.check(name -> config.getOptionalValue(name, String.class));
        verdict.warnings().forEach(LOG::warn);
        if (verdict.refused()) {
            throw new IllegalStateException("Tollgate refuses to start with unsafe production settings:\n - "
                    + String.join("\n - ", verdict.refusals()));
        }
        passed = true;
    }

    /** Whether production's rules were applied at this start and passed (for the boot test). */
    boolean passed() {
        return passed;
    }
}
