package dev.tollgate.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.common.ProblemException;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.usage.UsageRecords.Claimed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Delivers claimed usage records to Stripe as meter events (POST /v1/billing/meter_events). Stripe's v1
 * endpoint takes one event per request, so a claimed batch goes out concurrently (sender.concurrency at a
 * time); the v2 meter event stream would batch, but needs its own short-lived session tokens and host, and
 * v1 keeps every call on the gateway (idempotency keys, retries, circuit breaker, Stripe's rate limit).
 * Each event carries the record's fixed identifier, so Stripe counts it once however often it is sent.
 */
@ApplicationScoped
class UsageSender {

    private static final Logger LOG = Logger.getLogger(UsageSender.class);

    /** How a round went: how many records it claimed. */
    record Round(int claimed) {
    }

    private final UsageRecords records;
    private final StripeApi stripe;
    private final UsageMetrics metrics;
    private final UsageConfig.Sender config;

    UsageSender(UsageRecords records, StripeApi stripe, UsageMetrics metrics, UsageConfig config) {
        this.records = records;
        this.stripe = stripe;
        this.metrics = metrics;
        this.config = config.sender();
    }

    Uni<Round> sendDue() {
        return records.claim(config.batchSize(), config.lease()).flatMap(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().item(new Round(0));
            }
            List<Long> sent = Collections.synchronizedList(new ArrayList<>());
            return Multi.createFrom().iterable(claimed)
                    .onItem().transformToUni(record -> send(record, sent)).merge(config.concurrency())
                    .collect().last()
                    .flatMap(x -> records.sent(List.copyOf(sent)))
                    .invoke(x -> metrics.sent(sent.size()))
                    .replaceWith(new Round(claimed.size()));
        });
    }

    static StripeForm form(Claimed record) {
        return new StripeForm().add("event_name", record.eventName())
                .add("payload[stripe_customer_id]", record.customerId())
                .add("payload[value]", record.value())
                .add("identifier", record.identifier())
                .add("timestamp", record.occurredAt().toEpochSecond());
    }

    private Uni<Void> send(Claimed record, List<Long> sent) {
        return stripe.post("billing.meter_events.create", "/v1/billing/meter_events", form(record),
                "tollgate-usage-" + record.identifier())
                .invoke(answer -> sent.add(record.id())).replaceWithVoid()
                .onFailure().recoverWithUni(failure -> outcome(record, failure, sent));
    }

    /** Stripe refusing the event is final; anything else (down, 5xx, rate limit, the key) is retried later. */
    private Uni<Void> outcome(Claimed record, Throwable failure, List<Long> sent) {
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        if (failure instanceof ProblemException problem && (problem.problem().status() == 400
                || problem.problem().status() == 404)) {
            String detail = problem.problem().detail();
            if (detail != null && detail.contains("identifier") && detail.contains("already")) {
                // Sent before (the idempotency key expired since): Stripe has it once, which is the point.
                sent.add(record.id());
                return Uni.createFrom().voidItem();
            }
            metrics.refused();
            LOG.warnf("Stripe refused usage record %s: %s", record.identifier(), detail);
            return records.failed(record, detail);
        }
        metrics.attemptFailed();
        return records.retry(record, message, backoff(record.attempt()));
    }

    private Duration backoff(int attempt) {
        Duration delay = config.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }
}
