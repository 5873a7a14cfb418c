package dev.tollgate.usage;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.stripe.StripeGateway;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One delivery round, in one transaction: locks due usage records, hands them to Stripe as meter events the
 * configured way ({@link MeterEventStream} by default, {@link SingleMeterEvents} for v1) and writes every
 * outcome back at once. The transaction holds one pooled connection while Stripe answers (bounded by the
 * Stripe read timeout); in exchange a delivered record is written once instead of leased and then marked. A failed event is not
 * retried on the spot: it goes back to the database with a backoff, so a failure
 * frees its thread at once and a retry can be taken by any replica. Each event carries the record's fixed
 * identifier, so Stripe counts it once however often it is sent.
 */
@ApplicationScoped
class UsageSender {

    /** How a round went: how many records it claimed, and how many of them Stripe took. */
    record Round(int claimed, int sent) {
    }

    private final UsageRecords records;
    private final StripeGateway gateway;
    private final MeterEventDelivery delivery;
    private final UsageMetrics metrics;
    private final UsageConfig.Sender config;
    private final Pool pool;

    UsageSender(Pool pool, UsageRecords records, StripeGateway gateway, MeterEventStream stream, SingleMeterEvents single,
            UsageMetrics metrics, UsageConfig config) {
        this.pool = pool;
        this.records = records;
        this.gateway = gateway;
        this.delivery = config.sender().api() == UsageConfig.Api.METER_EVENTS ? single : stream;
        this.metrics = metrics;
        this.config = config.sender();
    }

    Uni<Round> sendDue() {
        if (gateway.pausedByBreaker()) {
            // Stripe was failing people's requests moments ago: claim nothing; the poll looks again.
            return Uni.createFrom().item(new Round(0, 0));
        }
        // One transaction per round: its row locks keep other senders off the records while they are sent.
        return pool.withTransaction(tx -> records.lockDue(tx, config.batchSize()).flatMap(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().item(new Round(0, 0));
            }
            DeliveryOutcomes outcomes = new DeliveryOutcomes(config, metrics, gateway.breakerRetryAfterSeconds());
            return delivery.deliver(claimed, outcomes)
                    .flatMap(x -> records.sent(tx, List.copyOf(outcomes.sent)))
                    .flatMap(x -> records.retry(tx, List.copyOf(outcomes.retries)))
                    .flatMap(x -> records.failed(tx, List.copyOf(outcomes.refused)))
                    .replaceWith(new Round(claimed.size(), outcomes.sent.size()));
        })).invoke(round -> metrics.sent(round.sent())); // counted once committed
    }
}
