package dev.tollgate.stripe;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Stripe API access. Without a secret key Tollgate runs, and answers Stripe-backed calls with 503. */
@ConfigMapping(prefix = "tollgate.stripe")
public interface StripeConfig {

    /** STRIPE_SECRET_KEY (sk_live_... / sk_test_... / rk_...). */
    Optional<String> secretKey();

    /** STRIPE_PUBLISHABLE_KEY, handed to the frontend by GET /v1/billing/config. */
    Optional<String> publishableKey();

    /** Overrides https://api.stripe.com, for a local stub in tests and load runs. */
    Optional<String> apiBase();

    @WithDefault("5s")
    Duration connectTimeout();

    @WithDefault("20s")
    Duration readTimeout();

    /** stripe-java's own retries of network failures and 409/429/5xx, always with an idempotency key. */
    @WithDefault("2")
    int maxNetworkRetries();
}
