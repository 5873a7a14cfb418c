package dev.tollgate.usage;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Usage ingestion and delivery to Stripe: what was recorded, sent, retried, refused, and the backlog. */
@ApplicationScoped
class UsageMetrics {

    private final Counter recorded;
    private final Counter sent;
    private final Counter failedAttempts;
    private final Counter refused;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    UsageMetrics(MeterRegistry registry) {
        recorded = Counter.builder("tollgate.usage.recorded")
                .description("Usage records stored (repeats of a key not counted)").register(registry);
        sent = Counter.builder("tollgate.usage.sent")
                .description("Usage records Stripe accepted as meter events").register(registry);
        failedAttempts = Counter.builder("tollgate.usage.attempts.failed")
                .description("Meter event sends that failed and will be retried (Stripe down, 5xx, rate limit)")
                .register(registry);
        refused = Counter.builder("tollgate.usage.refused")
                .description("Usage records Stripe refused for good (status failed)").register(registry);
        Gauge.builder("tollgate.usage.pending", pending, AtomicLong::get)
                .description("Usage records waiting to be sent to Stripe").register(registry);
        Gauge.builder("tollgate.usage.failed", failed, AtomicLong::get)
                .description("Usage records Stripe refused, kept with their error").register(registry);
    }

    void recorded() {
        recorded.increment();
    }

    void sent(int count) {
        sent.increment(count);
    }

    void attemptFailed() {
        failedAttempts.increment();
    }

    void refused() {
        refused.increment();
    }

    void backlog(Map<String, Long> counts) {
        pending.set(counts.getOrDefault("pending", 0L));
        failed.set(counts.getOrDefault("failed", 0L));
    }
}
