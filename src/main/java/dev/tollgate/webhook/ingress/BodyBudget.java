package dev.tollgate.webhook.ingress;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.webhook.WebhookConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The process-wide bound on bytes held for webhook bodies that have not finished arriving. Without it,
 * a few thousand connections that each trickle a large body in would fill the heap (issue 10); with
 * it, such an attacker makes new deliveries wait (503, which Stripe retries) instead of knocking the
 * service over.
 *
 * <p>
 * Accounting is by allocated capacity, not by bytes received, since capacity is what the heap pays.
 * Each {@link RequestBody} reserves before it grows and gives back exactly what it reserved, once.
 * Metrics: tollgate_webhook_body_buffered_bytes (gauge) and
 * tollgate_webhook_body_refused_total{reason="budget-exhausted"|"timeout"}.
 */
@Startup // the gauge exists (at 0) from the start, not from the first delivery
@ApplicationScoped
public class BodyBudget {

    /** Why an unfinished body was refused; the lower-case name is the metric tag. */
    public enum Refusal {
        BUDGET_EXHAUSTED,
        TIMEOUT;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final long max;
    private final AtomicLong buffered = new AtomicLong();
    private final Counter exhausted;
    private final Counter timedOut;

    public BodyBudget(WebhookConfig config, MeterRegistry registry) {
        this.max = config.maxBufferedBytes().asLongValue();
        Gauge.builder("tollgate.webhook.body.buffered", buffered, AtomicLong::get).baseUnit("bytes")
                .description("Bytes allocated for webhook bodies that are still arriving").register(registry);
        this.exhausted = Counter.builder("tollgate.webhook.body.refused").tag("reason", Refusal.BUDGET_EXHAUSTED.tag())
                .description("Webhook bodies refused before they finished").register(registry);
        this.timedOut = Counter.builder("tollgate.webhook.body.refused").tag("reason", Refusal.TIMEOUT.tag())
                .description("Webhook bodies refused before they finished").register(registry);
    }

    /** Whether a new body that needs {@code bytes} to start could start now (admission, not a reservation). */
    public boolean admits(long bytes) {
        return buffered.get() + bytes <= max;
    }

    /** Takes {@code bytes} from the budget; false (and nothing taken) when that would exceed it. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long current = buffered.get();
            if (current + bytes > max) {
                return false;
            }
            if (buffered.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    /** Gives back what a body reserved; called exactly once per body, by {@link RequestBody#release()}. */
    public void release(long bytes) {
        buffered.addAndGet(-bytes);
    }

    public long buffered() {
        return buffered.get();
    }

    public long max() {
        return max;
    }

    public void refused(Refusal reason) {
        (reason == Refusal.TIMEOUT ? timedOut : exhausted).increment();
    }
}
