package dev.tollgate.webhook.processing;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.stripe.StripeConfig;

/**
 * Which Stripe mode this deployment serves, and whether an event belongs to it. A test-mode event that
 * reaches a live deployment (a test webhook endpoint pointed at production, a shared secret, a catch-up with
 * the wrong key) must never grant live credits or plans, and the reverse would corrupt a test setup.
 *
 * <p>
 * The mode is the secret key's: {@code sk_live_}/{@code rk_live_} is live, {@code sk_test_}/{@code rk_test_}
 * is test. Without a key (dev mode, a deployment that only mirrors) Tollgate cannot sell anything, so it
 * serves test mode: a live event is only applied by a deployment that holds a live key.
 */
@ApplicationScoped
public class LivemodeGuard {

    private final boolean live;

    public LivemodeGuard(StripeConfig config) {
        this.live = config.secretKey().map(LivemodeGuard::isLiveKey).orElse(false);
    }

    static boolean isLiveKey(String key) {
        return key.startsWith("sk_live_") || key.startsWith("rk_live_");
    }

    /** Why an event of this mode must not be applied here, or null when it may be. */
    public String mismatch(boolean eventLivemode) {
        if (eventLivemode == live) {
            return null;
        }
        return eventLivemode
                ? "livemode mismatch: a live-mode event, but the configured Stripe secret key is not a live key"
                : "livemode mismatch: a test-mode event, but the configured Stripe secret key is a live key";
    }
}
