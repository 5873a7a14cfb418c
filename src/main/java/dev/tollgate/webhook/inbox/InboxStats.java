package dev.tollgate.webhook.inbox;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Inbox depth, parked count and the age of the oldest pending event, refreshed in the background so
 * that scrapes and readiness probes never query the database themselves.
 */
@ApplicationScoped
public class InboxStats {

    private static final String STATS_SQL = "select"
            + " (select count(*) from stripe_event where status = 'pending') as pending,"
            + " (select count(*) from stripe_event where status = 'failed') as failed,"
            + " (select extract(epoch from now() - min(received_at)) from stripe_event where status = 'pending')"
            + " as oldest_age";

    private final Pool pool;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();
    private volatile boolean known;

    public InboxStats(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        Gauge.builder("tollgate.webhook.inbox.pending", pending, AtomicLong::get)
                .description("Events stored but not applied yet").register(registry);
        Gauge.builder("tollgate.webhook.inbox.failed", failed, AtomicLong::get)
                .description("Events parked as failed, waiting for an operator").register(registry);
        Gauge.builder("tollgate.webhook.inbox.oldest.pending.age.seconds", oldestPendingSeconds, AtomicLong::get)
                .description("Age of the oldest pending event").register(registry);
    }

    @Scheduled(every = "${tollgate.webhook.stats-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query(STATS_SQL).execute().invoke(rows -> {
            Row row = rows.iterator().next();
            pending.set(row.getLong("pending"));
            failed.set(row.getLong("failed"));
            Number age = row.getNumeric("oldest_age");
            oldestPendingSeconds.set(age == null ? 0 : age.longValue());
            known = true;
        }).replaceWithVoid().onFailure().recoverWithNull().replaceWithVoid();
    }

    public boolean known() {
        return known;
    }

    public long pending() {
        return pending.get();
    }

    public long oldestPendingSeconds() {
        return oldestPendingSeconds.get();
    }
}
