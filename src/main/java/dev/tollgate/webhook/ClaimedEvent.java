package dev.tollgate.webhook;

/** An inbox row claimed for processing; {@code payload} is the UTF-8 JSON exactly as Stripe sent it. */
public record ClaimedEvent(String id, String type, long created, byte[] payload, int attempts, long seq,
        java.time.OffsetDateTime receivedAt) {
}
