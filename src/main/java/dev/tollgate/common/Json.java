package dev.tollgate.common;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;

/** Null-tolerant reads of Stripe-shaped JSON, where any field may be absent, null or expanded. */
public final class Json {

    private Json() {
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    /** An id-or-object reference ("customer": "cus_1" or "customer": {"id": "cus_1", ...}). */
    public static String ref(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isTextual()) {
            return value.asText();
        }
        return value.isObject() ? text(value, "id") : null;
    }

    public static Long longValue(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asLong() : null;
    }

    public static Integer intValue(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asInt() : null;
    }

    public static Boolean bool(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isBoolean() ? value.asBoolean() : null;
    }

    /** A Stripe timestamp (Unix seconds) as a UTC date-time, or null. */
    public static OffsetDateTime time(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? epoch(value.asLong()) : null;
    }

    public static OffsetDateTime epoch(long seconds) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
    }

    /** A nested object as compact JSON text, or null when absent or empty. */
    public static String objectText(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isObject() && !value.isEmpty() ? value.toString() : null;
    }
}
