package dev.tollgate.webhook;

/** An inbox row claimed for processing. */
public record ClaimedEvent(String id, String type, long created, String payload, int attempts, long seq,
        java.time.OffsetDateTime receivedAt) {
}
