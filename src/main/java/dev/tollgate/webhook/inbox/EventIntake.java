package dev.tollgate.webhook.inbox;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.webhook.processing.ProcessorLoop;
import io.smallrye.mutiny.Uni;

/**
 * The one way an event enters Tollgate, whether Stripe delivered it (the webhook route) or Tollgate
 * fetched it (the Events API catch-up): read the envelope, store it once by id, wake the processor.
 * From the inbox on, ordering, the version guard and effects are the same whichever way it came.
 */
@ApplicationScoped
public class EventIntake {

    /** Where an event came from; stored with it (stripe_event.source) for the admin views and audits. */
    public enum Source {
        WEBHOOK("webhook"),
        EVENTS_API("events_api");

        private final String column;

        Source(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }
    }

    private final EnvelopeParser parser;
    private final InboxWriter inbox;
    private final ProcessorLoop processor;

    public EventIntake(EnvelopeParser parser, InboxWriter inbox, ProcessorLoop processor) {
        this.parser = parser;
        this.inbox = inbox;
        this.processor = processor;
    }

    /**
     * Reads the envelope of a body; throws MalformedEventException when it is not a Stripe event. Separate
     * from {@link #store} so the webhook route can name the event in its logs and metrics before storing.
     */
    public EventEnvelope parse(byte[] body) {
        return parser.parse(body);
    }

    /** Completes with true once the event is durable and the processor woken, false when the inbox had it. */
    public Uni<Boolean> store(EventEnvelope event, Source source) {
        return inbox.store(event, source.column()).invoke(stored -> {
            if (stored) {
                processor.wake();
            }
        });
    }

    /** Parse, then store: a body that is not a Stripe event fails with MalformedEventException. */
    public Uni<Boolean> take(byte[] body, Source source) {
        EventEnvelope event;
        try {
            event = parse(body);
        } catch (MalformedEventException e) {
            return Uni.createFrom().failure(e);
        }
        return store(event, source);
    }
}
