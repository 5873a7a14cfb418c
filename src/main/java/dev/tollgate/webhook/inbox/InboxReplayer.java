package dev.tollgate.webhook.inbox;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.webhook.processing.ProcessorLoop;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Puts stored events back in the processor's queue: a parked (failed) event once its cause is fixed,
 * or an ignored one after a handler for its type was added. Applying again is safe because mirrors are
 * version-guarded and effects are idempotent by construction.
 */
@ApplicationScoped
public class InboxReplayer {

    private static final String REPLAY_ONE = "update stripe_event set status = 'pending', attempts = 0,"
            + " next_attempt_at = now(), last_error = null, processed_at = null"
            + " where id = $1 and status <> 'pending' returning id";
    private static final String REPLAY_FAILED = "update stripe_event set status = 'pending', attempts = 0,"
            + " next_attempt_at = now(), last_error = null, processed_at = null where status = 'failed'";

    private final Pool pool;
    private final ProcessorLoop processor;

    public InboxReplayer(Pool pool, ProcessorLoop processor) {
        this.pool = pool;
        this.processor = processor;
    }

    /** True when the event was queued again; false when it is unknown or already pending. */
    public Uni<Boolean> replay(String eventId) {
        return pool.preparedQuery(REPLAY_ONE).execute(Tuple.of(eventId))
                .map(rows -> rows.rowCount() > 0)
                .invoke(queued -> {
                    if (queued) {
                        processor.wake();
                    }
                });
    }

    /** Queues every parked event again; answers how many. */
    public Uni<Integer> replayFailed() {
        return pool.query(REPLAY_FAILED).execute()
                .map(rows -> rows.rowCount())
                .invoke(count -> {
                    if (count > 0) {
                        processor.wake();
                    }
                });
    }
}
