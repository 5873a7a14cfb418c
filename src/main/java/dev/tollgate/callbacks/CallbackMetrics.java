package dev.tollgate.callbacks;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Delivery outcomes and the outbox backlog, as agreed for dashboards and alerts. */
@ApplicationScoped
public class CallbackMetrics {

    private final Counter delivered;
    private final Counter failedAttempts;
    private final Counter dead;
    private final AtomicLong pending = new AtomicLong();

    public CallbackMetrics(MeterRegistry registry) {
        delivered = Counter.builder("tollgate.callbacks.delivered")
                .description("Callbacks a receiver acknowledged with 2xx (one per receiver)").register(registry);
        failedAttempts = Counter.builder("tollgate.callbacks.attempts.failed")
                .description("POSTs to a receiver that failed (non-2xx, timeout, connection error)").register(registry);
        dead = Counter.builder("tollgate.callbacks.dead")
                .description("Callbacks dead-lettered after the last attempt").register(registry);
        Gauge.builder("tollgate.callbacks.pending", pending, AtomicLong::get)
                .description("Callbacks waiting to be delivered (new or retrying)").register(registry);
    }

    void delivered() {
        delivered.increment();
    }

    void attemptFailed() {
        failedAttempts.increment();
    }

    void dead() {
        dead.increment();
    }

    void pending(long count) {
        pending.set(count);
    }
}
