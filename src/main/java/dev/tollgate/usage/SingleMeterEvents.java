package dev.tollgate.usage;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.usage.UsageRecords.Claimed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /v1/billing/meter_events}: one event per request, validated by Stripe before it answers (a
 * refused event is failed at once, with Stripe's reason), up to 1,000 events/s in live mode. Sent
 * sender.concurrency at a time; each with an idempotency key from the record's identifier.
 */
@ApplicationScoped
class SingleMeterEvents implements MeterEventDelivery {

    private final StripeApi stripe;
    private final UsageConfig.Sender config;

    SingleMeterEvents(StripeApi stripe, UsageConfig config) {
        this.stripe = stripe;
        this.config = config.sender();
    }

    static StripeForm form(Claimed record) {
        return new StripeForm().add("event_name", record.eventName())
                .add("payload[stripe_customer_id]", record.customerId())
                .add("payload[value]", record.value())
                .add("identifier", record.identifier())
                .add("timestamp", record.occurredAt().toEpochSecond());
    }

    @Override
    public Uni<Void> deliver(List<Claimed> records, DeliveryOutcomes outcomes) {
        return Multi.createFrom().iterable(records)
                .onItem().transformToUni(record -> send(record, outcomes)).merge(config.concurrency())
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> send(Claimed record, DeliveryOutcomes outcomes) {
        return stripe.postRetriedLater("billing.meter_events.create", "/v1/billing/meter_events", form(record),
                "tollgate-usage-" + record.identifier())
                .invoke(answer -> outcomes.sent(record)).replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    String detail = DeliveryOutcomes.detail(failure);
                    if (DeliveryOutcomes.isRefusal(failure) && detail != null && detail.contains("identifier")
                            && detail.contains("already")) {
                        // Sent before (the idempotency key expired since): Stripe has it once, which is the point.
                        outcomes.sent(record);
                    } else if (DeliveryOutcomes.isRefusal(failure)) {
                        outcomes.refused(record, detail);
                    } else {
                        outcomes.retry(record, failure);
                    }
                    return null;
                });
    }
}
