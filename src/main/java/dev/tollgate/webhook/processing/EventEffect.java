package dev.tollgate.webhook.processing;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A business consequence of Stripe events (credits granted for a paid pack, a license issued when a
 * subscription activates, ...). Effects run in the transaction that applies the events, after the
 * mirrors are written, and must be idempotent by construction (unique keys, not check-then-insert):
 * an event may be applied again after a crash or a replay.
 */
public interface EventEffect {

    Uni<Void> apply(SqlConnection connection, List<ParsedEvent> events);
}
