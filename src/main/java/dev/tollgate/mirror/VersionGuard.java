package dev.tollgate.mirror;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides whether an incoming version of an object replaces the one Tollgate holds. Stripe's
 * {@code created} has one-second resolution and one object's events often share a second, so ties
 * are broken, in this order, by:
 * <ol>
 * <li>{@code previous_attributes}: if the incoming event says the object looked like the stored one
 * before it, the incoming one is later (and the other way round). This is exact when it applies and
 * only one direction matches.</li>
 * <li>the lifecycle rank of the status (draft, open, paid; an invoice is never reopened).</li>
 * <li>a progress counter that only grows (payment attempts, refunded amount, period end).</li>
 * <li>for two answers Tollgate read from Stripe's API itself, the time of the read.</li>
 * </ol>
 * When none of them tells the versions apart the guard says {@link Decision#AMBIGUOUS}; the stored
 * version is kept and the object is queued for a re-read from Stripe when a key is configured.
 */
public final class VersionGuard {

    public enum Decision {
        NEWER,
        OLDER_OR_SAME,
        AMBIGUOUS
    }

    private VersionGuard() {
    }

    public static Decision compare(ObjectVersion incoming, ObjectVersion stored) {
        if (stored == null) {
            return Decision.NEWER;
        }
        if (incoming.created() != stored.created()) {
            return incoming.created() > stored.created() ? Decision.NEWER : Decision.OLDER_OR_SAME;
        }
        if (incoming.sourceId() != null && incoming.sourceId().equals(stored.sourceId())) {
            return Decision.OLDER_OR_SAME;
        }
        if (incoming.object().equals(stored.object())) {
            return Decision.OLDER_OR_SAME;
        }
        // When each version's previous_attributes match the other (A -> B -> A within one second),
        // they prove nothing; fall through to the lifecycle.
        boolean incomingFollowsStored = describesBefore(incoming.previousAttributes(), stored.object());
        boolean storedFollowsIncoming = describesBefore(stored.previousAttributes(), incoming.object());
        if (incomingFollowsStored != storedFollowsIncoming) {
            return incomingFollowsStored ? Decision.NEWER : Decision.OLDER_OR_SAME;
        }
        if (incoming.rank() != stored.rank()) {
            return incoming.rank() > stored.rank() ? Decision.NEWER : Decision.OLDER_OR_SAME;
        }
        if (incoming.progress() != stored.progress()) {
            return incoming.progress() > stored.progress() ? Decision.NEWER : Decision.OLDER_OR_SAME;
        }
        long incomingRead = readMillis(incoming.sourceId());
        long storedRead = readMillis(stored.sourceId());
        if (incomingRead >= 0 && storedRead >= 0 && incomingRead != storedRead) {
            // Both are answers of Stripe's API that Tollgate read itself: the later read is the later state.
            return incomingRead > storedRead ? Decision.NEWER : Decision.OLDER_OR_SAME;
        }
        return Decision.AMBIGUOUS;
    }

    /** The source id of a version Tollgate read from Stripe's API, stamped with the read time. */
    public static String readSourceId(String objectId) {
        return READ_PREFIX + System.currentTimeMillis() + "_" + objectId;
    }

    private static final String READ_PREFIX = "read_";

    static long readMillis(String sourceId) {
        if (sourceId == null || !sourceId.startsWith(READ_PREFIX)) {
            return -1;
        }
        int end = sourceId.indexOf('_', READ_PREFIX.length());
        try {
            return Long.parseLong(sourceId.substring(READ_PREFIX.length(), end < 0 ? sourceId.length() : end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * True when every attribute the event lists as "before" has that value in {@code earlier}: the
     * event changed the object from {@code earlier}'s state. Nested objects list only the changed
     * fields, so they are matched as subsets; arrays and scalars must be equal.
     */
    static boolean describesBefore(JsonNode previousAttributes, JsonNode earlier) {
        if (previousAttributes == null || !previousAttributes.isObject() || previousAttributes.isEmpty()) {
            return false;
        }
        return matches(previousAttributes, earlier);
    }

    private static boolean matches(JsonNode expected, JsonNode actual) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                JsonNode value = actual.get(field.getKey());
                if (value == null) {
                    if (!field.getValue().isNull()) {
                        return false;
                    }
                } else if (!matches(field.getValue(), value)) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(actual);
    }
}
