package dev.tollgate.checkout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.common.Problem;
import dev.tollgate.common.ProblemException;

/**
 * Per-account fixed-window limit on starting payments (checkout, portal, payment intents), so that a
 * script cannot use an account to hammer Stripe or card-test. Counted per instance: with N replicas an
 * account gets at most N times the limit, which still bounds abuse.
 */
@ApplicationScoped
public class PaymentRateLimiter {

    private record Window(long start, int count) {
    }

    private final CheckoutConfig config;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public PaymentRateLimiter(CheckoutConfig config) {
        this.config = config;
    }

    /** Counts one attempt; throws 429 with Retry-After when the account is over its limit. */
    public void acquire(String accountId) {
        long now = System.currentTimeMillis();
        long windowMillis = config.rateWindow().toMillis();
        Window window = windows.compute(accountId, (k, w) -> w == null || now - w.start() >= windowMillis
                ? new Window(now, 1)
                : new Window(w.start(), w.count() + 1));
        if (window.count() > config.rateLimit()) {
            long retryAfter = Math.max(1, (window.start() + windowMillis - now + 999) / 1000);
            throw new ProblemException(Problem.of(429, "rate-limited", "Too many requests",
                    "At most " + config.rateLimit() + " payment starts per " + config.rateWindow().toSeconds()
                            + " s are allowed for an account; try again in " + retryAfter + " s."),
                    Map.of("Retry-After", Long.toString(retryAfter)));
        }
        if (windows.size() > 100_000) {
            windows.entrySet().removeIf(e -> now - e.getValue().start() >= windowMillis);
        }
    }
}
