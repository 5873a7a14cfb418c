package dev.tollgate.webhook;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The webhook pipeline's metrics. Names (Prometheus form) are what dashboards and alerts use:
 * tollgate_webhook_events_received_total, ..._rejected_total{reason}, ..._duplicates_total,
 * ..._applied_total, ..._ignored_total, ..._failed_total{parked}, ..._api_version_mismatch_total,
 * tollgate_webhook_ack_seconds, tollgate_webhook_apply_lag_seconds,
 * tollgate_webhook_inbox_wait_seconds, tollgate_webhook_ambiguous_ties_total.
 */
@ApplicationScoped
public class WebhookMetrics {

    /** The API version stripe-java 33.x and the mirrors were written for ("dahlia"). */
    public static final String EXPECTED_API_MAJOR = "dahlia";

    private final MeterRegistry registry;
    private final Timer ack;

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ack = Timer.builder("tollgate.webhook.ack").description("Time from request to acknowledgement")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    }

    public void received(String type) {
        counter("tollgate.webhook.events.received", "type", type).increment();
    }

    public void verified() {
        registry.counter("tollgate.webhook.events.verified").increment();
    }

    public void rejected(RejectReason reason) {
        counter("tollgate.webhook.events.rejected", "reason", reason.tag()).increment();
    }

    public void duplicate(String type) {
        counter("tollgate.webhook.events.duplicates", "type", type).increment();
    }

    public void apiVersion(String apiVersion) {
        if (apiVersion != null && !apiVersion.endsWith("." + EXPECTED_API_MAJOR)) {
            counter("tollgate.webhook.api.version.mismatch", "api_version", apiVersion).increment();
        }
    }

    public void acknowledged(long startNanos) {
        ack.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    public void processed(String type, boolean handled, long lagMillis, long waitMillis) {
        counter(handled ? "tollgate.webhook.events.applied" : "tollgate.webhook.events.ignored", "type", type)
                .increment();
        Timer.builder("tollgate.webhook.apply.lag").description("Applied time minus the event's created time")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1)).register(registry)
                .record(Math.max(lagMillis, 0), TimeUnit.MILLISECONDS);
        Timer.builder("tollgate.webhook.inbox.wait").description("Applied time minus the time the inbox stored it")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1)).register(registry)
                .record(Math.max(waitMillis, 0), TimeUnit.MILLISECONDS);
    }

    public void failed(String type, boolean parked) {
        Counter.builder("tollgate.webhook.events.failed").tag("type", type).tag("parked", Boolean.toString(parked))
                .register(registry).increment();
    }

    public void ambiguousTies(String objectType, int count) {
        counter("tollgate.webhook.ambiguous.ties", "object", objectType).increment(count);
    }

    private Counter counter(String name, String tag, String value) {
        return registry.counter(name, tag, value);
    }
}
