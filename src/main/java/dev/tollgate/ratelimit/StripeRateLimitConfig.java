package dev.tollgate.ratelimit;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Limits on endpoints that call Stripe, beyond the per-account ones (tollgate.checkout.rate-limit and
 * rate-window, TOLLGATE_CHECKOUT_RATE_LIMIT / _RATE_WINDOW). Counted per instance.
 */
@ConfigMapping(prefix = "tollgate.rate-limit")
public interface StripeRateLimitConfig {

    /** Admin requests that call Stripe allowed per operator in {@link #operatorWindow()}. */
    @WithDefault("30")
    int operatorLimit();

    @WithDefault("1m")
    Duration operatorWindow();

    /** Accounts and operators tracked at once; beyond it the least recently seen is forgotten. */
    @WithDefault("100000")
    int maxTracked();
}
