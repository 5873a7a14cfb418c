package dev.tollgate.testing;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.webhook.processing.EventEffect;
import dev.tollgate.webhook.processing.ParsedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A test-only effect that runs inside the processor's transaction like the real ones do. It records
 * every application of an event in test_effect_log (which has no unique key, so "applied twice" is
 * visible), fails events marked {@code metadata.test_fail = until_fixed} until a test calls
 * {@link #fix()}, and holds the transaction open in the database for events marked
 * {@code metadata.test_block = once}, so a test can kill that backend mid-batch.
 */
@ApplicationScoped
public class EffectProbe implements EventEffect {

    public static final String FAIL_MARK = "test_fail";
    public static final String BLOCK_MARK = "test_block";

    private static final AtomicBoolean FIXED = new AtomicBoolean();
    private static final AtomicBoolean BLOCKED_ONCE = new AtomicBoolean();

    public static void breakIt() {
        FIXED.set(false);
    }

    public static void fix() {
        FIXED.set(true);
    }

    public static void armBlock() {
        BLOCKED_ONCE.set(false);
    }

    @Override
    public Uni<Void> apply(SqlConnection connection, List<ParsedEvent> events) {
        for (ParsedEvent event : events) {
            if ("until_fixed".equals(mark(event, FAIL_MARK)) && !FIXED.get()) {
                return Uni.createFrom().failure(new IllegalStateException("probe: handler broken for " + event.id()));
            }
        }
        boolean block = events.stream().anyMatch(e -> "once".equals(mark(e, BLOCK_MARK)))
                && BLOCKED_ONCE.compareAndSet(false, true);
        String[] ids = events.stream().map(ParsedEvent::id).toArray(String[]::new);
        String[] types = events.stream().map(ParsedEvent::type).toArray(String[]::new);
        Uni<Void> log = connection
                .preparedQuery("insert into test_effect_log (event_id, type) select * from unnest($1::text[], $2::text[])")
                .execute(Tuple.of(ids, types)).replaceWithVoid();
        return block
                ? log.flatMap(x -> connection.query("select pg_sleep(60)").execute()).replaceWithVoid()
                : log;
    }

    private static String mark(ParsedEvent event, String name) {
        return event.object().path("metadata").path(name).asText(null);
    }
}
