package dev.tollgate.devmode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.arc.profile.UnlessBuildProfile;

/**
 * The simulator's Billing Meters: v2 meter event sessions and the meter event stream, so usage recorded in dev
 * mode is delivered (and shows as sent) the way it is with Stripe. It totals each customer's events per event
 * name, since Stripe would bill them, and keeps nothing else: no meters, no invoices for usage. Its endpoints
 * take unauthenticated requests, so what it keeps is bounded: expired tokens are dropped as new ones are made,
 * at most {@value #MAX_TOKENS} live ones, and the identifiers it has counted start afresh past
 * {@value #MAX_IDENTIFIERS} (Stripe's own deduplication is limited in time, too).
 */
@ApplicationScoped
@UnlessBuildProfile("prod")
public class SimulatedMeterEvents {

    /** Like Stripe's: a session's token is valid for 15 minutes. */
    static final Duration SESSION_LIFETIME = Duration.ofMinutes(15);
    static final int MAX_TOKENS = 1_000;
    static final int MAX_IDENTIFIERS = 100_000;

    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Set<String> identifiers = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> totals = new ConcurrentHashMap<>();

    /** {@code POST /v2/billing/meter_event_session}: a new session and its token. */
    ObjectNode createSession() {
        Instant now = Instant.now();
        String token = "mes_sim_" + StripeSimulator.random(24);
        tokens.values().removeIf(expiresAt -> !now.isBefore(expiresAt));
        if (tokens.size() >= MAX_TOKENS) {
            tokens.clear(); // senders whose token goes get Stripe's expired-session answer and make another
        }
        tokens.put(token, now.plus(SESSION_LIFETIME));
        ObjectNode session = StripeShapes.MAPPER.createObjectNode();
        session.put("id", "bmes_sim_" + StripeSimulator.random(14)).put("object", "v2.billing.meter_event_session")
                .put("authentication_token", token).put("created", now.toString())
                .put("expires_at", now.plus(SESSION_LIFETIME).toString()).put("livemode", false);
        return session;
    }

    /** Whether {@code Authorization: Bearer <token>} carries a session token of this simulator that is still valid. */
    boolean validSession(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        Instant expiresAt = tokens.get(authorization.substring("Bearer ".length()));
        return expiresAt != null && Instant.now().isBefore(expiresAt);
    }

    /**
     * {@code POST /v2/billing/meter_event_stream}: counts each event once per identifier, as Stripe does; answers
     * how many of the request's events were new.
     */
    int accept(JsonNode body) {
        int counted = 0;
        if (identifiers.size() >= MAX_IDENTIFIERS) {
            identifiers.clear();
        }
        for (JsonNode event : body.path("events")) {
            if (identifiers.add(event.path("identifier").asText())) {
                String key = event.path("payload").path("stripe_customer_id").asText() + "/"
                        + event.path("event_name").asText();
                totals.computeIfAbsent(key, k -> new AtomicLong())
                        .addAndGet(event.path("payload").path("value").asLong());
                counted++;
            }
        }
        return counted;
    }

    /** The usage Stripe would bill a customer for an event name so far. */
    long total(String customer, String eventName) {
        AtomicLong total = totals.get(customer + "/" + eventName);
        return total == null ? 0 : total.get();
    }
}
