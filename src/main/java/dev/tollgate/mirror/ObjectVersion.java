package dev.tollgate.mirror;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One version of a mirrored Stripe object: the object as an event (or an API answer) showed it, and
 * what is needed to order it against another version of the same object.
 *
 * @param created the second the event was created (Stripe's clock)
 * @param sourceId the event id (or a synthetic id for API answers); equal ids are the same version
 * @param previousAttributes the event's data.previous_attributes, or null
 * @param deleted whether the version says the object was deleted (customer.deleted, ...)
 * @param rawJson the object's JSON as Stripe sent it, or null to serialize {@code object}
 */
public record ObjectVersion(
        String objectId,
        long created,
        String sourceId,
        int rank,
        long progress,
        JsonNode previousAttributes,
        JsonNode object,
        boolean deleted,
        String rawJson) {

    public ObjectVersion(String objectId, long created, String sourceId, int rank, long progress,
            JsonNode previousAttributes, JsonNode object, boolean deleted) {
        this(objectId, created, sourceId, rank, progress, previousAttributes, object, deleted, null);
    }

    /** The text the mirror's raw column keeps. */
    public String raw() {
        return rawJson != null ? rawJson : object.toString();
    }
}
