package dev.tollgate.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.stripe.StripeApi;
import io.smallrye.mutiny.Uni;

/**
 * The meter event stream authenticates with a session token that lasts 15 minutes
 * ({@code POST /v2/billing/meter_event_session} with the secret key). One session is shared by every send of
 * the instance and replaced a minute before it ends, or at once when Stripe says it expired; concurrent
 * sends that need a new one wait for the same request.
 */
@ApplicationScoped
class MeterEventSessions {

    /** Renewed this long before Stripe's expiry, so no send starts with a token about to end. */
    static final Duration MARGIN = Duration.ofMinutes(1);

    private record Session(String token, Instant expiresAt) {
    }

    private final StripeApi stripe;
    private final AtomicReference<Session> current = new AtomicReference<>();
    private Uni<Session> creating;

    MeterEventSessions(StripeApi stripe) {
        this.stripe = stripe;
    }

    /** A token valid for at least {@link #MARGIN}. */
    Uni<String> token() {
        Session session = current.get();
        if (session != null && session.expiresAt().isAfter(Instant.now().plus(MARGIN))) {
            return Uni.createFrom().item(session.token());
        }
        return create().map(Session::token);
    }

    /** Stripe refused {@code token} as expired: the next send gets a new session. */
    void expired(String token) {
        Session session = current.get();
        if (session != null && session.token().equals(token)) {
            current.compareAndSet(session, null);
        }
    }

    private synchronized Uni<Session> create() {
        if (creating == null) {
            creating = stripe.postJsonRetriedLater("v2.billing.meter_event_session.create", null,
                    "/v2/billing/meter_event_session", "{}", null)
                    .map(MeterEventSessions::session)
                    .invoke(current::set)
                    .eventually(this::created)
                    .memoize().indefinitely();
        }
        return creating;
    }

    private synchronized void created() {
        creating = null;
    }

    private static Session session(JsonNode answer) {
        String token = answer.path("authentication_token").asText(null);
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("Stripe's meter event session has no authentication_token");
        }
        return new Session(token, expiresAt(answer.path("expires_at").asText("")));
    }

    /** v2 answers timestamps in RFC 3339; unreadable: assume the shortest life Stripe documents, 15 minutes. */
    private static Instant expiresAt(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.now().plus(Duration.ofMinutes(15));
        }
    }
}
