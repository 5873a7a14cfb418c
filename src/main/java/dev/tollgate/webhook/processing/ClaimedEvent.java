package dev.tollgate.webhook.processing;

/**
 * An inbox row claimed for processing; {@code payload} is the UTF-8 JSON exactly as Stripe sent it and
 * {@code livemode} the envelope's flag as the inbox stored it.
 */
public record ClaimedEvent(String id, String type, long created, byte[] payload, int attempts, long seq,
        java.time.OffsetDateTime receivedAt, boolean livemode) {
}
