package dev.tollgate.usage;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.tollgate.stripe.StripeGateway;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Runs delivery rounds while there is work: woken by a new record on this instance, and by a poll (records of
 * other replicas, retries that came due). A full round is followed at once, a partial one after the linger. One round at a time
 * per instance; replicas share the work through
 * the SKIP LOCKED claim. Without STRIPE_SECRET_KEY nothing is sent and records wait, pending.
 */
@ApplicationScoped
public class UsageLoop {

    private static final Logger LOG = Logger.getLogger(UsageLoop.class);

    private final UsageSender sender;
    private final UsageRecords records;
    private final UsageMetrics metrics;
    private final boolean enabled;
    private final StripeGateway gateway;
    private final int batchSize;
    private final Duration linger;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private volatile boolean stopped;

    UsageLoop(UsageSender sender, UsageRecords records, UsageMetrics metrics, UsageConfig config,
            StripeGateway gateway) {
        this.sender = sender;
        this.records = records;
        this.metrics = metrics;
        this.enabled = config.sender().enabled();
        this.gateway = gateway;
        this.batchSize = config.sender().batchSize();
        this.linger = config.sender().linger();
    }

    void onStart(@Observes StartupEvent event) {
        wake();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    @Scheduled(every = "${tollgate.usage.sender.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        wake();
        return records.countsByStatus().invoke(metrics::backlog).replaceWithVoid().onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** A record was stored: count it and start a round unless one runs (which then runs once more). */
    void recorded() {
        metrics.recorded();
        wake();
    }

    void wake() {
        // configured() is asked each time: dev mode's simulator may take Stripe's place after this bean is made.
        if (stopped || !enabled || !gateway.configured()) {
            return;
        }
        dirty.set(true);
        if (running.compareAndSet(false, true)) {
            round();
        }
    }

    private void round() {
        dirty.set(false);
        sender.sendDue().subscribe().with(result -> {
            if (stopped) {
                finish();
            } else if (result.claimed() >= batchSize) {
                round(); // a backlog: keep going
            } else if (result.claimed() > 0 || dirty.get()) {
                afterLinger();
            } else {
                finish();
            }
        }, failure -> {
            LOG.warnf("Usage delivery round failed: %s", failure.getMessage());
            finish();
        });
    }

    private void afterLinger() {
        if (linger.isZero()) {
            round();
            return;
        }
        Uni.createFrom().voidItem().onItem().delayIt().by(linger).subscribe().with(x -> round(), failure -> finish());
    }

    private void finish() {
        running.set(false);
        if (dirty.get()) {
            wake();
        }
    }
}
