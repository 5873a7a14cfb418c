package dev.tollgate.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.mirror.VersionGuard.Decision;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeObjects;

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

    @Test
    void anEarlierSecondLosesEvenWithAHigherRankOrPreviousAttributesPointingAtIt() {
        ObjectVersion openLater = version("e2", T + 1, "open", 0, null);
        ObjectVersion paidEarlier = version("e1", T, "paid", 5, prev("status", "open"));
        assertEquals(Decision.OLDER_OR_SAME, VersionGuard.compare(paidEarlier, openLater));
        assertEquals(Decision.NEWER, VersionGuard.compare(openLater, paidEarlier));
    }

    @Test
    void theSameContentUnderAnotherEventIdChangesNothing() {
        ObjectVersion stored = version("e1", T, "open", 1, null);
        ObjectVersion redelivered = version("e2", T, "open", 1, null);
        assertEquals(Decision.OLDER_OR_SAME, VersionGuard.compare(redelivered, stored));
    }

    @Test
    void previousAttributesOutweighTheProgressCounter() {
        ObjectVersion stored = version("e1", T, "open", 2, null);
        ObjectVersion incoming = version("e2", T, "open", 1, prev("attempt_count", 2));
        assertEquals(Decision.NEWER, VersionGuard.compare(incoming, stored));
    }

    /**
     * One invoice's whole life in one second (created, finalized, two failed attempts, paid), ranked by
     * the real invoice spec: whatever order the events arrive in, the guard keeps the paid version, and for
     * every pair it answers NEWER one way exactly when it answers OLDER_OR_SAME the other.
     */
    @Test
    void anInvoicesLifeInOneSecondEndsPaidInEveryDeliveryOrder() {
        List<ObjectVersion> life = List.of(
                invoiceVersion("evt_created", "invoice.created", "draft", 0),
                invoiceVersion("evt_finalized", "invoice.finalized", "open", 0),
                invoiceVersion("evt_failed_1", "invoice.payment_failed", "open", 1),
                invoiceVersion("evt_failed_2", "invoice.payment_failed", "open", 2),
                invoiceVersion("evt_paid", "invoice.paid", "paid", 3));
        for (ObjectVersion a : life) {
            for (ObjectVersion b : life) {
                if (a != b) {
                    Decision ab = VersionGuard.compare(a, b);
                    assertEquals(ab == Decision.NEWER ? Decision.OLDER_OR_SAME : Decision.NEWER,
                            VersionGuard.compare(b, a), a.sourceId() + " vs " + b.sourceId());
                }
            }
        }
        assertEquals(120, finalVersionInEveryOrder(life, "evt_paid"));
        // Not paid yet: of the open versions, the one after the most payment attempts is the latest.
        assertEquals(24, finalVersionInEveryOrder(life.subList(0, 4), "evt_failed_2"));
    }

    /** Applies the versions in every order through the guard; each must end at {@code expected}. */
    private static int finalVersionInEveryOrder(List<ObjectVersion> versions, String expected) {
        int orders = 0;
        for (List<ObjectVersion> order : permutations(versions)) {
            ObjectVersion stored = null;
            for (ObjectVersion incoming : order) {
                if (VersionGuard.compare(incoming, stored) == Decision.NEWER) {
                    stored = incoming;
                }
            }
            assertEquals(expected, stored.sourceId(), "delivered as " + order.stream().map(ObjectVersion::sourceId)
                    .toList());
            orders++;
        }
        return orders;
    }

    @Test
    void onlyWellFormedReadIdsCarryATime() {
        assertEquals(1_790_000_000_100L, VersionGuard.readMillis("read_1790000000100_in_1"));
        assertEquals(-1, VersionGuard.readMillis("evt_1PqZ8x2eZvKYlo2C"));
        assertEquals(-1, VersionGuard.readMillis("read_soon_in_1"));
        assertEquals(-1, VersionGuard.readMillis(null));
        String fresh = VersionGuard.readSourceId("in_1");
        long millis = VersionGuard.readMillis(fresh);
        assertTrue(Math.abs(System.currentTimeMillis() - millis) < 60_000, fresh);
    }

    private static ObjectVersion invoiceVersion(String eventId, String type, String status, long attempts) {
        ObjectNode invoice = StripeObjects.invoice("in_1PqZ8x2eZvKYlo2C", "cus_QhJ8m4a1", "sub_1PqZ8x2eZvKYlo2C",
                status, 2000);
        invoice.put("attempt_count", attempts);
        return new ObjectVersion("in_1PqZ8x2eZvKYlo2C", T, eventId, MirrorSpecs.INVOICE.rank(invoice, type),
                MirrorSpecs.INVOICE.progress(invoice), null, invoice, false);
    }

    private static List<List<ObjectVersion>> permutations(List<ObjectVersion> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<ObjectVersion>> result = new ArrayList<>();
        for (ObjectVersion first : items) {
            List<ObjectVersion> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<ObjectVersion> tail : permutations(rest)) {
                List<ObjectVersion> order = new ArrayList<>();
                order.add(first);
                order.addAll(tail);
                result.add(order);
            }
        }
        return result;
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

    private static ObjectNode prev(String field, long value) {
        return StripeFixtures.MAPPER.createObjectNode().put(field, value);
    }
}
