package dev.tollgate.usage;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.stripe.StripeGateway;
import io.smallrye.mutiny.Uni;

/**
 * One delivery round: claims due usage records, hands them to Stripe as meter events the configured way
 * ({@link MeterEventStream} by default, {@link SingleMeterEvents} for v1) and writes every outcome back at
 * once. A failed event is not retried on the spot: it goes back to the database with a backoff, so a failure
 * frees its thread at once and a retry can be taken by any replica. Each event carries the record's fixed
 * identifier, so Stripe counts it once however often it is sent.
 */
@ApplicationScoped
class UsageSender {

    /** How a round went: how many records it claimed. */
    record Round(int claimed) {
    }

    private final UsageRecords records;
    private final StripeGateway gateway;
    private final MeterEventDelivery delivery;
    private final UsageMetrics metrics;
    private final UsageConfig.Sender config;

    UsageSender(UsageRecords records, StripeGateway gateway, MeterEventStream stream, SingleMeterEvents single,
            UsageMetrics metrics, UsageConfig config) {
        this.records = records;
        this.gateway = gateway;
        this.delivery = config.sender().api() == UsageConfig.Api.METER_EVENTS ? single : stream;
        this.metrics = metrics;
        this.config = config.sender();
    }

    Uni<Round> sendDue() {
        if (gateway.pausedByBreaker()) {
            // Stripe was failing people's requests moments ago: claim nothing; the poll looks again.
            return Uni.createFrom().item(new Round(0));
        }
        return records.claim(config.batchSize(), config.lease()).flatMap(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().item(new Round(0));
            }
            DeliveryOutcomes outcomes = new DeliveryOutcomes(config, metrics, gateway.breakerRetryAfterSeconds());
            return delivery.deliver(claimed, outcomes)
                    .flatMap(x -> records.sent(List.copyOf(outcomes.sent)))
                    .flatMap(x -> records.retry(List.copyOf(outcomes.retries)))
                    .flatMap(x -> records.failed(List.copyOf(outcomes.refused)))
                    .invoke(x -> metrics.sent(outcomes.sent.size()))
                    .replaceWith(new Round(claimed.size()));
        });
    }
}
