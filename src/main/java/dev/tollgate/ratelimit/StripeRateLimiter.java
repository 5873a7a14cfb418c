package dev.tollgate.ratelimit;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.common.Problem;
import dev.tollgate.common.ProblemException;

/**
 * Fixed-window limits on requests that call Stripe, so that a script cannot use an account (or an
 * operator token) to hammer Stripe or card-test. Counted per instance: with N replicas a caller gets at
 * most N times the limit, which still bounds abuse and costs no database round trip per request.
 */
@ApplicationScoped
public class StripeRateLimiter {

    private final AccountRateLimitConfig accounts;
    private final StripeRateLimitConfig config;
    private final RateWindows windows;

    public StripeRateLimiter(AccountRateLimitConfig accounts, StripeRateLimitConfig config) {
        this.accounts = accounts;
        this.config = config;
        this.windows = new RateWindows(config.maxTracked());
    }

    /** Counts one request of an account; throws 429 with Retry-After when it is over its limit. */
    public void acquireForAccount(String accountId) {
        acquire("account:" + accountId, accounts.rateLimit(), accounts.rateWindow(), "an account");
    }

    /** Counts one request of an operator (or of a service token that names no account). */
    public void acquireForCaller(String subject) {
        acquire("caller:" + subject, config.operatorLimit(), config.operatorWindow(), "a caller");
    }

    /** Keys currently tracked: never more than tollgate.rate-limit.max-tracked. */
    public int tracked() {
        return windows.size();
    }

    private void acquire(String key, int limit, Duration window, String who) {
        long waitMillis = windows.acquire(key, System.currentTimeMillis(), window.toMillis(), limit);
        if (waitMillis > 0) {
            long retryAfter = Math.max(1, (waitMillis + 999) / 1000);
            throw new ProblemException(Problem.of(429, "rate-limited", "Too many requests",
                    "At most " + limit + " requests that call Stripe per " + window.toSeconds() + " s are allowed for "
                            + who + "; try again in " + retryAfter + " s."),
                    Map.of("Retry-After", Long.toString(retryAfter)));
        }
    }
}
