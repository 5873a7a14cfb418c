package dev.tollgate.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;

/** Waits for the processor, which applies inbox events asynchronously after the acknowledgement. */
public final class Inbox {

    private static final Set<String> DONE = Set.of("applied", "ignored", "failed");

    private Inbox() {
    }

    /** Waits until the event has left 'pending' and answers its final status. */
    public static String awaitProcessed(Db db, String eventId) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25))
                .until(() -> status(db, eventId), s -> s != null && DONE.contains(s));
    }

    /**
     * Waits until the event has left 'pending' and fails unless it ended 'applied': 'ignored' or 'failed'
     * (with the processor's last error in the message) is a failure, not just "processed".
     */
    public static void awaitApplied(Db db, String eventId) {
        String status = awaitProcessed(db, eventId);
        if (!"applied".equals(status)) {
            throw new AssertionError("event " + eventId + " ended '" + status + "', not 'applied': "
                    + db.value("select last_error from stripe_event where id = $1", eventId));
        }
    }

    public static String status(Db db, String eventId) {
        var rows = db.rows("select status from stripe_event where id = $1", eventId);
        return rows.isEmpty() ? null : (String) rows.get(0).get("status");
    }
}
