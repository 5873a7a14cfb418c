package dev.tollgate.webhook.mirror;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One version of a mirrored Stripe object: the object as an event (or an API answer) showed it, and
 * what is needed to order it against another version of the same object.
 *
 * @param created the second the event was created (Stripe's clock)
 * @param sourceId the event id (or a synthetic id for API answers); equal ids are the same version
 * @param previousAttributes the event's data.previous_attributes, or null
 * @param deleted whether the version says the object was deleted (customer.deleted, ...)
 * @param rawJson the object exactly as Stripe sent it, or null to serialize {@code object}
 * @param previousJson previous_attributes exactly as sent, or null to serialize them
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
        String rawJson,
        String previousJson) {

    public ObjectVersion(String objectId, long created, String sourceId, int rank, long progress,
            JsonNode previousAttributes, JsonNode object, boolean deleted) {
        this(objectId, created, sourceId, rank, progress, previousAttributes, object, deleted, null, null);
    }

    /** The text stored in the mirror's raw column. */
    public String raw() {
        return rawJson != null ? rawJson : object.toString();
    }

    /** The text stored in the mirror's prev_attrs column, or null. */
    public String previous() {
        if (previousAttributes == null) {
            return null;
        }
        return previousJson != null ? previousJson : previousAttributes.toString();
    }
}
