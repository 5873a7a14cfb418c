package dev.tollgate.config;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * The settings whose absence leaves endpoints unusable without stopping the service: production logs a WARN for
 * each at start, and readiness lists them in its data (readiness stays UP: the rest of the service works; what
 * production must not run without, {@link ProductionSettings} refuses).
 */
@Readiness
@ApplicationScoped
public class SetupGaps implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(SetupGaps.class);

    /** Variable name to what does not work without it. */
    static Map<String, String> find(Config config) {
        Map<String, String> gaps = new LinkedHashMap<>();
        if (blank(config, "tollgate.webhook.secrets")) {
            gaps.put("STRIPE_WEBHOOK_SECRET", "not set: POST /v1/webhooks/stripe answers 503 and Stripe's events are"
                    + " not received");
        }
        if (blank(config, "tollgate.stripe.secret-key")) {
            gaps.put("STRIPE_SECRET_KEY", "not set: checkout, payment intents, the portal, subscription changes,"
                    + " catalog sync, webhook endpoint setup and reconciliation answer 503");
        }
        boolean key = !blank(config, "tollgate.auth.hs256-secret") || !blank(config, "mp.jwt.verify.publickey")
                || !blank(config, "mp.jwt.verify.publickey.location") || !blank(config, "smallrye.jwt.verify.key.location");
        if (!key) {
            gaps.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "not set (nor JWT_HS256_SECRET): every authenticated endpoint"
                    + " answers 401");
        }
        return gaps;
    }

    void onStart(@Observes @Priority(2) StartupEvent event) {
        if (ProductionRules.apply()) {
            find(ConfigProvider.getConfig()).forEach((variable, effect) -> LOG.warnf("%s is %s.", variable, effect));
        }
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> gaps = find(ConfigProvider.getConfig());
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("setup").up()
                .withData("unusable_without_settings", gaps.isEmpty() ? "none" : String.join(",", gaps.keySet()));
        gaps.forEach(builder::withData);
        return builder.build();
    }

    private static boolean blank(Config config, String name) {
        return config.getOptionalValue(name, String.class).map(String::trim)
                .filter(v -> !v.isEmpty() && !v.equals("NONE")).isEmpty();
    }
}
