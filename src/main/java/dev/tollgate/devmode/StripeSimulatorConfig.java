package dev.tollgate.devmode;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Dev mode's built-in Stripe simulator (TOLLGATE_SIMULATOR_ENABLED): on by default in dev mode when
 * STRIPE_SECRET_KEY is unset, never in production (the production build leaves it out and refuses to start with it
 * enabled).
 */
@ConfigMapping(prefix = "tollgate.simulator")
public interface StripeSimulatorConfig {

    @WithDefault("false")
    boolean enabled();
}
