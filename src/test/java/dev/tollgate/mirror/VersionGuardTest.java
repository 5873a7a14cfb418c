package dev.tollgate.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.mirror.VersionGuard.Decision;
import dev.tollgate.testing.StripeFixtures;

/** The tie-breaking rules on their own, without the pipeline around them. */
class VersionGuardTest {

    private static final long T = 1_790_000_000L;

    @Test
    void nothingStoredMeansNewer() {
        assertEquals(Decision.NEWER, VersionGuard.compare(version("e1", T, "open", 0, null), null));
    }

    @Test
    void laterSecondWinsWhateverTheStatus() {
        ObjectVersion paid = version("e1", T, "paid", 0, null);
        ObjectVersion draftLater = version("e2", T + 1, "draft", 0, null);
        assertEquals(Decision.NEWER, VersionGuard.compare(draftLater, paid));
        assertEquals(Decision.OLDER_OR_SAME, VersionGuard.compare(paid, draftLater));
    }

    @Test
    void sameEventIsNotNewer() {
        ObjectVersion v = version("e1", T, "open", 0, null);
        assertEquals(Decision.OLDER_OR_SAME, VersionGuard.compare(v, version("e1", T, "open", 0, null)));
    }

    @Test
    void previousAttributesPointingAtTheStoredStateMakeIncomingNewer() {
        ObjectVersion stored = version("e1", T, "paid", 0, null);
        // Rank alone would keep "paid"; previous_attributes prove "open" came after it.
        ObjectVersion incoming = version("e2", T, "open", 0, prev("status", "paid"));
        assertEquals(Decision.NEWER, VersionGuard.compare(incoming, stored));
        assertEquals(Decision.OLDER_OR_SAME, VersionGuard.compare(stored, incoming));
    }

    @Test
    void circularPreviousAttributesFallBackToTheLifecycle() {
        ObjectVersion open = version("e1", T, "open", 0, prev("status", "paid"));
        ObjectVersion paid = version("e2", T, "paid", 0, prev("status", "open"));
        // Each says the other came before it: that proves nothing, so the lifecycle decides.
        assertEquals(Decision.NEWER, VersionGuard.compare(paid, open));
        assertEquals(Decision.OLDER_OR_SAME, VersionGuard.compare(open, paid));
    }

    @Test
    void lifecycleRankThenProgressBreakTies() {
        assertEquals(Decision.NEWER, VersionGuard.compare(version("e2", T, "paid", 0, null),
                version("e1", T, "open", 0, null)));
        assertEquals(Decision.NEWER, VersionGuard.compare(version("e2", T, "open", 2, null),
                version("e1", T, "open", 1, null)));
        assertEquals(Decision.OLDER_OR_SAME, VersionGuard.compare(version("e2", T, "open", 1, null),
                version("e1", T, "open", 2, null)));
    }

    @Test
    void indistinguishableVersionsAreAmbiguous() {
        ObjectVersion a = new ObjectVersion("in_1", T, "e1", 1, 0, null, object("open").put("memo", "a"), false);
        ObjectVersion b = new ObjectVersion("in_1", T, "e2", 1, 0, null, object("open").put("memo", "b"), false);
        assertEquals(Decision.AMBIGUOUS, VersionGuard.compare(b, a));
    }

    @Test
    void ofTwoApiReadsInOneSecondTheLaterReadWins() {
        ObjectVersion first = new ObjectVersion("in_1", T, "read_1790000000100_in_1", 1, 0, null,
                object("open").put("memo", "a"), false);
        ObjectVersion second = new ObjectVersion("in_1", T, "read_1790000000900_in_1", 1, 0, null,
                object("open").put("memo", "b"), false);
        assertEquals(Decision.NEWER, VersionGuard.compare(second, first));
        assertEquals(Decision.OLDER_OR_SAME, VersionGuard.compare(first, second));
        // A read and an event of the same second stay ambiguous: the read time says nothing about the event.
        ObjectVersion event = new ObjectVersion("in_1", T, "evt_1", 1, 0, null, object("open").put("memo", "c"), false);
        assertEquals(Decision.AMBIGUOUS, VersionGuard.compare(event, second));
    }

    @Test
    void nestedPreviousAttributesMatchAsSubsets() {
        JsonNode earlier = StripeFixtures.MAPPER.createObjectNode().set("metadata",
                StripeFixtures.MAPPER.createObjectNode().put("plan", "pro").put("seats", "3"));
        JsonNode prev = StripeFixtures.MAPPER.createObjectNode().set("metadata",
                StripeFixtures.MAPPER.createObjectNode().put("plan", "pro"));
        assertEquals(true, VersionGuard.describesBefore(prev, earlier));
        assertEquals(false, VersionGuard.describesBefore(StripeFixtures.MAPPER.createObjectNode().set("metadata",
                StripeFixtures.MAPPER.createObjectNode().put("plan", "team")), earlier));
    }

    private static ObjectVersion version(String eventId, long created, String status, long progress, JsonNode prev) {
        int rank = switch (status) {
            case "draft" -> 0;
            case "open" -> 1;
            default -> 3;
        };
        return new ObjectVersion("in_1", created, eventId, rank, progress, prev,
                object(status).put("attempt_count", progress), false);
    }

    private static ObjectNode object(String status) {
        return StripeFixtures.MAPPER.createObjectNode().put("id", "in_1").put("status", status);
    }

    private static ObjectNode prev(String field, String value) {
        return StripeFixtures.MAPPER.createObjectNode().put(field, value);
    }
}
