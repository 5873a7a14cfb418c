package dev.tollgate.callbacks;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.tollgate.common.PgNotifications;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Runs delivery rounds while there is work. Woken when a callback is written (the V8 triggers NOTIFY
 * tollgate_callback on commit, heard by every replica), when a retry this instance scheduled comes due,
 * and by a poll (retries scheduled by other replicas, a missed notification). One round at a time per
 * instance; replicas share the work through the outbox's SKIP LOCKED claim.
 */
@ApplicationScoped
public class CallbackLoop {

    private static final Logger LOG = Logger.getLogger(CallbackLoop.class);

    private final CallbackDispatcher dispatcher;
    private final CallbackSettings settings;
    private final CallbackOutbox outbox;
    private final CallbackMetrics metrics;
    private final CallbacksConfig config;
    private final PgNotifications notifications;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private volatile boolean stopped;

    public CallbackLoop(CallbackDispatcher dispatcher, CallbackSettings settings, CallbackOutbox outbox,
            CallbackMetrics metrics, CallbacksConfig config, PgNotifications notifications) {
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.outbox = outbox;
        this.metrics = metrics;
        this.config = config;
        this.notifications = notifications;
    }

    void onStart(@Observes StartupEvent event) {
        if (settings.enabled()) {
            notifications.listen("tollgate_callback", payload -> wake());
            wake();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    @Scheduled(every = "${tollgate.callbacks.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        wake();
        return outbox.pending().invoke(metrics::pending).replaceWithVoid().onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** There may be due callbacks: start a round unless one runs (which then runs once more). */
    public void wake() {
        if (stopped || !settings.enabled()) {
            return;
        }
        dirty.set(true);
        if (running.compareAndSet(false, true)) {
            round();
        }
    }

    private void round() {
        dirty.set(false);
        dispatcher.deliverDue().subscribe().with(result -> {
            result.nextRetry().filter(delay -> delay.compareTo(config.pollInterval()) < 0)
                    .ifPresent(this::wakeAfter);
            if (!stopped && (result.claimed() > 0 || dirty.get())) {
                round();
            } else {
                finish();
            }
        }, failure -> {
            LOG.warnf("Callback delivery round failed: %s", failure.getMessage());
            finish();
        });
    }

    private void finish() {
        running.set(false);
        if (dirty.get()) {
            wake();
        }
    }

    /** A retry due before the next poll: come back for it then rather than a poll later. */
    private void wakeAfter(Duration delay) {
        Uni.createFrom().voidItem().onItem().delayIt().by(delay).subscribe().with(x -> wake());
    }
}
