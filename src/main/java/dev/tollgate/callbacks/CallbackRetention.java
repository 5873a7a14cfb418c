package dev.tollgate.callbacks;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Keeps the outbox from growing forever: delivered callbacks go after tollgate.callbacks.retention. */
@ApplicationScoped
public class CallbackRetention {

    private static final Logger LOG = Logger.getLogger(CallbackRetention.class);

    private final CallbackOutbox outbox;
    private final CallbacksConfig config;

    public CallbackRetention(CallbackOutbox outbox, CallbacksConfig config) {
        this.outbox = outbox;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().replaceWithVoid().onFailure().invoke(e -> LOG.warnf("Callback purge failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes what has been delivered for longer than the retention; answers how many. */
    public Uni<Integer> purge() {
        return outbox.purgeDelivered(config.retention()).invoke(count -> {
            if (count > 0) {
                LOG.debugf("Purged %d delivered callbacks", count);
            }
        });
    }
}
