package dev.tollgate.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jboss.logging.Logger;

import dev.tollgate.common.ProblemException;
import dev.tollgate.usage.UsageRecords.Claimed;
import dev.tollgate.usage.UsageRecords.Outcome;

/**
 * What one delivery round learned about its records, gathered while the sends run and written back together
 * afterwards ({@link UsageSender}): whatever the share of failures, a round writes them in three statements, so a
 * Stripe outage never turns into a statement per record per attempt.
 */
final class DeliveryOutcomes {

    private static final Logger LOG = Logger.getLogger(DeliveryOutcomes.class);

    final List<Long> sent = Collections.synchronizedList(new ArrayList<>());
    final List<Outcome> retries = Collections.synchronizedList(new ArrayList<>());
    final List<Outcome> refused = Collections.synchronizedList(new ArrayList<>());

    private final UsageConfig.Sender config;
    private final UsageMetrics metrics;
    private final long breakerRetryAfterSeconds;

    DeliveryOutcomes(UsageConfig.Sender config, UsageMetrics metrics, long breakerRetryAfterSeconds) {
        this.config = config;
        this.metrics = metrics;
        this.breakerRetryAfterSeconds = breakerRetryAfterSeconds;
    }

    void sent(Claimed record) {
        sent.add(record.id());
    }

    /** Stripe refused the event: final, the record is failed (the answer says why). */
    void refused(Claimed record, String detail) {
        metrics.refused();
        LOG.warnf("Stripe refused usage record %s: %s", record.identifier(), detail);
        refused.add(new Outcome(record, detail, Duration.ZERO));
    }

    /**
     * Stripe did not take the event this time (down, 5xx, rate limit, an expired session): due again after
     * the record's backoff, or once the circuit breaker lets calls through again.
     */
    void retry(Claimed record, Throwable failure) {
        metrics.attemptFailed();
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        Duration in = isProblem(failure, "stripe-circuit-open") ? Duration.ofSeconds(breakerRetryAfterSeconds)
                : isProblem(failure, "stripe-session-expired") ? Duration.ZERO
                        : backoff(record.attempt());
        retries.add(new Outcome(record, message, in));
    }

    /** 400 or 404 from Stripe: the request itself was refused, and sending it again is refused again. */
    static boolean isRefusal(Throwable failure) {
        return failure instanceof ProblemException problem
                && (problem.problem().status() == 400 || problem.problem().status() == 404);
    }

    static String detail(Throwable failure) {
        return failure instanceof ProblemException problem ? problem.problem().detail() : failure.toString();
    }

    static boolean isProblem(Throwable failure, String type) {
        return failure instanceof ProblemException problem && problem.problem().type().endsWith("/" + type);
    }

    private Duration backoff(int attempt) {
        Duration delay = config.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }
}
