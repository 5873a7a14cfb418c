package dev.tollgate.reconciliation;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Reconciliation metrics (Prometheus names): tollgate_reconciliation_cursor_age_seconds,
 * tollgate_reconciliation_events_recovered_total, tollgate_reconciliation_runs_total{outcome},
 * tollgate_drift_subscriptions_differing, tollgate_drift_subscriptions_repaired_total.
 *
 * <p>
 * The cursor and the last drift result live in the database, so every replica reports the same values
 * whichever replica ran the job; they are re-read every minute. Both gauges are NaN until the first
 * catch-up or drift check has finished (an alert on them then stays quiet; watch runs{outcome="error"}).
 */
@ApplicationScoped
public class ReconciliationMetrics {

    private static final Logger LOG = Logger.getLogger(ReconciliationMetrics.class);
    private static final long UNKNOWN = Long.MIN_VALUE;
    private static final String LOAD = "select (select cursor_at from reconciliation_cursor where name = 'events')"
            + " as cursor_at, (select differing from drift_check order by id desc limit 1) as differing";

    private final Pool pool;
    private final AtomicLong cursorAt = new AtomicLong(UNKNOWN);
    private final AtomicLong differing = new AtomicLong(UNKNOWN);
    private final Counter recovered;
    private final Counter runsOk;
    private final Counter runsFailed;
    private final Counter repaired;

    public ReconciliationMetrics(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        Gauge.builder("tollgate.reconciliation.cursor.age.seconds", cursorAt,
                at -> at.get() == UNKNOWN ? Double.NaN : System.currentTimeMillis() / 1000.0 - at.get())
                .description("Age of the Events API catch-up cursor; Stripe lists events for 30 days only")
                .register(registry);
        Gauge.builder("tollgate.drift.subscriptions.differing", differing,
                d -> d.get() == UNKNOWN ? Double.NaN : d.get())
                .description("Subscriptions that differed from Stripe in the last drift check").register(registry);
        this.recovered = Counter.builder("tollgate.reconciliation.events.recovered")
                .description("Events the catch-up found that the inbox did not have").register(registry);
        this.runsOk = registry.counter("tollgate.reconciliation.runs", "outcome", "ok");
        this.runsFailed = registry.counter("tollgate.reconciliation.runs", "outcome", "error");
        this.repaired = Counter.builder("tollgate.drift.subscriptions.repaired")
                .description("Subscriptions rewritten from Stripe's answer by the drift check").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        refresh().subscribe().with(x -> {
        }, e -> LOG.debugf("Reconciliation metrics not loaded yet: %s", e.getMessage()));
    }

    @Scheduled(every = "1m", concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query(LOAD).execute().invoke(rows -> {
            Row row = rows.iterator().next();
            Long at = row.getLong("cursor_at");
            Integer diff = row.getInteger("differing");
            cursorAt.set(at == null ? UNKNOWN : at);
            differing.set(diff == null ? UNKNOWN : diff);
        }).replaceWithVoid().onFailure().recoverWithNull().replaceWithVoid();
    }

    void cursor(long epochSeconds) {
        cursorAt.set(epochSeconds);
    }

    void catchUpSucceeded(int newEvents) {
        runsOk.increment();
        recovered.increment(newEvents);
    }

    void catchUpFailed() {
        runsFailed.increment();
    }

    void driftChecked(int differingNow, int repairedNow) {
        differing.set(differingNow);
        repaired.increment(repairedNow);
    }
}
