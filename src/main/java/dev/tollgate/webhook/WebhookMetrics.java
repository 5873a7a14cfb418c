package dev.tollgate.webhook;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * tollgate_webhook_inbox_wait_seconds, tollgate_webhook_ambiguous_ties_total,
 * tollgate_webhook_events_livemode_mismatch_total{type}.
 */
@ApplicationScoped
public class WebhookMetrics {

    /** The API version stripe-java 33.x and the mirrors were written for ("dahlia"). */
    public static final String EXPECTED_API_MAJOR = "dahlia";

    private final MeterRegistry registry;
    private final Timer ack;
    private final Timer applyLag;
    private final Timer inboxWait;
    private final Counter verified;
    /** Meters with a tag are looked up once per tag value, not on every event. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ack = Timer.builder("tollgate.webhook.ack").description("Time from request to acknowledgement")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        this.applyLag = Timer.builder("tollgate.webhook.apply.lag")
                .description("Applied time minus the event's created time")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1)).register(registry);
        this.inboxWait = Timer.builder("tollgate.webhook.inbox.wait")
                .description("Applied time minus the time the inbox stored it")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1)).register(registry);
        this.verified = registry.counter("tollgate.webhook.events.verified");
    }

    public void received(String type) {
        counter("tollgate.webhook.events.received", "type", type).increment();
    }

    public void verified() {
        verified.increment();
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
        applyLag.record(Math.max(lagMillis, 0), TimeUnit.MILLISECONDS);
        inboxWait.record(Math.max(waitMillis, 0), TimeUnit.MILLISECONDS);
    }

    /** An event of the other Stripe mode than the secret key's: stored, ignored, never applied. */
    public void livemodeMismatch(String type) {
        counter("tollgate.webhook.events.livemode.mismatch", "type", type).increment();
    }

    public void failed(String type, boolean parked) {
        Counter.builder("tollgate.webhook.events.failed").tag("type", type).tag("parked", Boolean.toString(parked))
                .register(registry).increment();
    }

    public void ambiguousTies(String objectType, int count) {
        counter("tollgate.webhook.ambiguous.ties", "object", objectType).increment(count);
    }

    private Counter counter(String name, String tag, String value) {
        return counters.computeIfAbsent(name + '\u0000' + tag + '\u0000' + value,
                k -> registry.counter(name, tag, value));
    }
}
