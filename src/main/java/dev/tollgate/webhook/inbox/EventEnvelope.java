package dev.tollgate.webhook.inbox;

/**
 * What the inbox needs to know about a Stripe event before it is applied. The whole JSON is kept in
 * {@code payload}, as the UTF-8 bytes Stripe signed; the processor reads the rest of it.
 */
public record EventEnvelope(
        String id,
        String type,
        long created,
        String apiVersion,
        boolean livemode,
        String objectType,
        String objectId,
        byte[] payload) {
}
