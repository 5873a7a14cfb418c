package dev.tollgate.usage;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeGateway;
import dev.tollgate.usage.UsageRecords.Claimed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /v2/billing/meter_event_stream} on Stripe's meter events host: up to 100 events per request and
 * 10,000 requests/s in live mode, authenticated by a {@link MeterEventSessions} token. Stripe validates the
 * events after answering (problems reach the Dashboard and the {@code v1.billing.meter.error_report_triggered}
 * event), so an accepted request means sent. A failed request is sent again whole: every event carries its
 * record's identifier, which Stripe keeps unique over a rolling 24 hours, so a resent event counts once.
 */
@ApplicationScoped
class MeterEventStream implements MeterEventDelivery {

    /** Stripe's limit of events per stream request. */
    static final int EVENTS_PER_REQUEST = 100;

    private final StripeApi stripe;
    private final StripeGateway gateway;
    private final MeterEventSessions sessions;
    private final ObjectMapper mapper;
    private final UsageConfig.Sender config;

    MeterEventStream(StripeApi stripe, StripeGateway gateway, MeterEventSessions sessions, ObjectMapper mapper,
            UsageConfig config) {
        this.stripe = stripe;
        this.gateway = gateway;
        this.sessions = sessions;
        this.mapper = mapper;
        this.config = config.sender();
    }

    @Override
    public Uni<Void> deliver(List<Claimed> records, DeliveryOutcomes outcomes) {
        List<List<Claimed>> requests = new ArrayList<>();
        for (int from = 0; from < records.size(); from += EVENTS_PER_REQUEST) {
            requests.add(records.subList(from, Math.min(records.size(), from + EVENTS_PER_REQUEST)));
        }
        return Multi.createFrom().iterable(requests)
                .onItem().transformToUni(events -> send(events, outcomes)).merge(config.concurrency())
                .collect().last().replaceWithVoid();
    }

    /** The request body: {"events": [{event_name, identifier, payload: {stripe_customer_id, value}, timestamp}]}. */
    String body(List<Claimed> records) {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode events = body.putArray("events");
        for (Claimed record : records) {
            ObjectNode event = events.addObject().put("event_name", record.eventName())
                    .put("identifier", record.identifier());
            // v2 payload values are strings; timestamps are RFC 3339.
            event.putObject("payload").put("stripe_customer_id", record.customerId())
                    .put("value", Long.toString(record.value()));
            event.put("timestamp", record.occurredAt().toInstant().toString());
        }
        return body.toString();
    }

    private Uni<Void> send(List<Claimed> records, DeliveryOutcomes outcomes) {
        return sessions.token().flatMap(token -> stripe.postJsonRetriedLater("v2.billing.meter_event_stream.create",
                gateway.meterEventsBase(), "/v2/billing/meter_event_stream", body(records), token)
                .invoke(answer -> records.forEach(outcomes::sent)).replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    if (DeliveryOutcomes.isProblem(failure, "stripe-session-expired")) {
                        sessions.expired(token);
                    } else if (DeliveryOutcomes.isRefusal(failure) && records.size() > 1) {
                        // One event spoils the request: each goes alone, so only that one is refused.
                        return Multi.createFrom().iterable(records)
                                .onItem().transformToUni(record -> send(List.of(record), outcomes))
                                .merge(config.concurrency()).collect().last().replaceWithVoid();
                    } else if (DeliveryOutcomes.isRefusal(failure)) {
                        outcomes.refused(records.get(0), DeliveryOutcomes.detail(failure));
                        return Uni.createFrom().voidItem();
                    }
                    records.forEach(record -> outcomes.retry(record, failure));
                    return Uni.createFrom().voidItem();
                }))
                // No session (Stripe down, the key refused): the records wait for the next attempt.
                .onFailure().recoverWithItem(failure -> {
                    records.forEach(record -> outcomes.retry(record, failure));
                    return null;
                });
    }
}
