package dev.tollgate.tools.bench;

/** One POST of the stream: the event id, its type, and the exact payload that gets signed. */
public record Delivery(String eventId, String type, String payload) {
}
