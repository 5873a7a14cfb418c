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

    /**
     * Overrides https://meter-events.stripe.com, the host of Stripe's high-throughput meter event stream; when
     * unset and api-base is set, api-base (one local stub serves both).
     */
    Optional<String> meterEventsBase();

    @WithDefault("5s")
    Duration connectTimeout();

    @WithDefault("20s")
    Duration readTimeout();

    /** stripe-java's own retries of network failures and 409/429/5xx, always with an idempotency key. */
    @WithDefault("2")
    int maxNetworkRetries();

    CircuitBreaker circuitBreaker();

    Bulkhead bulkhead();

    /** The threads Stripe calls block on (TOLLGATE_STRIPE_BULKHEAD_MAX_CONCURRENT, ..._QUEUE). */
    interface Bulkhead {

        /** Stripe calls running at once per instance. */
        @WithDefault("32")
        int maxConcurrent();

        /** Calls waiting for a thread; beyond this a call is answered 503 with Retry-After at once. */
        @WithDefault("256")
        int queue();
    }

    /**
     * Stops calling Stripe for a while once most recent calls failed with outages (connection errors,
     * 5xx), so requests fail fast with 503 instead of each waiting for timeouts.
     */
    interface CircuitBreaker {

        /** Calls in the rolling window the failure ratio is computed over. */
        @WithDefault("20")
        int requestVolume();

        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before letting a trial call through. */
        @WithDefault("30s")
        Duration delay();
    }
}
