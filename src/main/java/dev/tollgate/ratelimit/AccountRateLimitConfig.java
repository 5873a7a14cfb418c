package dev.tollgate.ratelimit;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The per-account limit on Stripe-bound endpoints. It keeps its first names under tollgate.checkout
 * (TOLLGATE_CHECKOUT_RATE_LIMIT, TOLLGATE_CHECKOUT_RATE_WINDOW), mapped here so that rate limiting does
 * not depend on the checkout feature; SmallRye lets two mappings share a prefix.
 */
@ConfigMapping(prefix = "tollgate.checkout")
public interface AccountRateLimitConfig {

    /** Requests to Stripe-bound endpoints allowed per account in {@link #rateWindow()}, counted per replica. */
    @WithDefault("10")
    int rateLimit();

    @WithDefault("1m")
    Duration rateWindow();
}
