package dev.tollgate.webhook.processing;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.mirror.MirrorSpec;

/**
 * An inbox event read back for processing.
 *
 * @param object the event's data.object
 * @param previousAttributes data.previous_attributes, or null
 * @param spec how its object is mirrored, or null when Tollgate ignores this event
 * @param objectJson data.object exactly as Stripe sent it, or null when there is none
 * @param ignoredReason why an event of a handled type is nevertheless not applied (stored with it), or null
 */
public record ParsedEvent(
        String id,
        String type,
        long created,
        String apiVersion,
        long seq,
        JsonNode object,
        JsonNode previousAttributes,
        MirrorSpec spec,
        String objectJson,
        String ignoredReason) {

    public boolean handled() {
        return spec != null && ignoredReason == null;
    }

    public String objectId() {
        JsonNode id = object.path("id");
        return id.isTextual() ? id.asText() : null;
    }
}
