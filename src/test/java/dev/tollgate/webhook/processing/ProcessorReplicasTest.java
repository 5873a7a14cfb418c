package dev.tollgate.webhook.processing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Barriers;
import dev.tollgate.testing.Db;
import dev.tollgate.testing.EffectProbe;
import dev.tollgate.testing.ManualProcessingProfile;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Several processors (replicas) on one database, and a processor dying mid-batch: every acknowledged
 * event is applied exactly once and the mirrors end in the newest state.
 */
@QuarkusTest
@TestProfile(ManualProcessingProfile.class)
class ProcessorReplicasTest {

    private static final long T = 1_795_000_000L;

    @Inject
    Db db;

    @Inject
    EventProcessor processor;

    @BeforeEach
    @AfterEach
    void releaseBlockedBatchesAndDrain() {
        db.execute("select pg_terminate_backend(pid) from pg_stat_activity where query = 'select pg_sleep(60)'");
        drain();
    }

    @Test
    void acknowledgedEventsWaitDurablyUntilAProcessorRuns() {
        List<String> ids = deliverCustomerHistories("ack", 5, 4);

        assertEquals(ids.size(), db.count("select count(*) from stripe_event where id = any($1) and status = 'pending'",
                (Object) ids.toArray(String[]::new)), "acknowledged but not yet applied");

        drain(); // the processor of a freshly started instance
        assertAppliedExactlyOnce(ids);
    }

    @Test
    void concurrentProcessorsNeverApplyAnEventTwice() throws Exception {
        List<String> ids = deliverCustomerHistories("race", 40, 6);
        int replicas = 4;
        CyclicBarrier start = new CyclicBarrier(replicas);
        List<CompletableFuture<Integer>> workers = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            workers.add(CompletableFuture.supplyAsync(() -> {
                Barriers.await(start);
                int batches = 0;
                while (processor.processBatch().await().atMost(Duration.ofSeconds(30)) > 0) {
                    batches++;
                }
                return batches;
            }));
        }
        int busyReplicas = 0;
        for (CompletableFuture<Integer> worker : workers) {
            busyReplicas += worker.get() > 0 ? 1 : 0;
        }
        drain();

        assertTrue(busyReplicas >= 2, "the replicas shared the work (" + busyReplicas + " did some)");
        assertAppliedExactlyOnce(ids);
        for (int c = 0; c < 40; c++) {
            assertEquals("name-5", db.value("select name from stripe_customer where id = $1", "cus_race" + c),
                    "the newest version wins whichever replica applied which event");
        }
    }

    @Test
    void processorKilledMidBatchLosesNothingAndDoublesNothing() throws Exception {
        // The blocker comes first, so it is in the first claimed batch together with six others.
        ObjectNode blocker = StripeObjects.customer("cus_crash_blocker", "acct-crash");
        ((ObjectNode) blocker.path("metadata")).put(EffectProbe.BLOCK_MARK, "once");
        ObjectNode blockEvent = StripeEvents.event("customer.created", blocker, T);
        Webhooks.deliver(blockEvent).then().statusCode(200);
        List<String> ids = deliverCustomerHistories("crash", 3, 3);
        ids.add(0, blockEvent.path("id").asText());
        EffectProbe.armBlock();

        CompletableFuture<Integer> batch = processor.processBatch().subscribeAsCompletionStage();
        Number backend = await().atMost(Duration.ofSeconds(10)).until(() -> blockedBackend(), pid -> pid != null);
        assertEquals(0, db.count("select count(*) from test_effect_log where event_id = any($1)",
                (Object) ids.toArray(String[]::new)), "nothing of the open batch is visible before it commits");

        db.execute("select pg_terminate_backend($1)", backend.intValue()); // the processor's connection dies
        batch.get();
        // Like the poll of a restarted processor: keep claiming until nothing is pending. Connections the
        // pool still holds from before the kill may fail a round first.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            drain();
            return db.count("select count(*) from stripe_event where id = any($1) and status = 'pending'",
                    (Object) ids.toArray(String[]::new)) == 0;
        });

        assertAppliedExactlyOnce(ids);
    }

    private Number blockedBackend() {
        var rows = db.rows("select pid from pg_stat_activity where query = 'select pg_sleep(60)' and state = 'active'");
        return rows.isEmpty() ? null : (Number) rows.get(0).get("pid");
    }

    /** Several customer.updated versions per customer, one second apart, delivered newest first. */
    private List<String> deliverCustomerHistories(String tag, int customers, int versions) {
        List<String> ids = new ArrayList<>();
        for (int v = versions - 1; v >= 0; v--) {
            for (int c = 0; c < customers; c++) {
                ObjectNode customer = StripeObjects.customer("cus_" + tag + c, "acct-" + tag + c).put("name",
                        "name-" + v);
                ObjectNode event = StripeEvents.event("customer.updated", customer, T + v);
                Webhooks.deliver(event).then().statusCode(200);
                ids.add(event.path("id").asText());
            }
        }
        return ids;
    }

    private void assertAppliedExactlyOnce(List<String> ids) {
        Object[] array = { ids.toArray(String[]::new) };
        assertEquals(ids.size(), db.count("select count(*) from stripe_event where id = any($1) and status = 'applied'",
                array));
        assertEquals(ids.size(), db.count("select count(*) from test_effect_log where event_id = any($1)", array),
                "one application per event");
        assertEquals(ids.size(), db.count("select count(distinct event_id) from test_effect_log where event_id = any($1)",
                array));
    }

    private void drain() {
        while (processor.processBatch().await().atMost(Duration.ofSeconds(30)) > 0) {
            // keep going until the inbox has nothing due
        }
    }

}
