package dev.tollgate.webhook.processing;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.tollgate.webhook.WebhookConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the processor busy while the inbox has work: woken right after new events are stored (low
 * apply lag), and by a poll for retries that come due and for events stored by other replicas.
 */
@ApplicationScoped
public class ProcessorLoop {

    private static final Logger LOG = Logger.getLogger(ProcessorLoop.class);

    private final EventProcessor processor;
    private final WebhookConfig.Processor config;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private volatile boolean stopped;

    public ProcessorLoop(EventProcessor processor, WebhookConfig config) {
        this.processor = processor;
        this.config = config.processor();
    }

    void onStart(@Observes StartupEvent event) {
        // Whatever was acknowledged before a restart is still pending in the inbox.
        wake();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    @Scheduled(every = "${tollgate.webhook.processor.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    /**
     * Signals that there may be work. Starts a worker when none runs; a running worker sees the
     * signal when its batch ends. More workers join only while batches come back full (a backlog).
     */
    public void wake() {
        if (!config.enabled() || stopped) {
            return;
        }
        dirty.set(true);
        startWorker(1);
    }

    private void startWorker(int upTo) {
        while (true) {
            int current = running.get();
            if (current >= Math.min(upTo, config.workers())) {
                return;
            }
            if (running.compareAndSet(current, current + 1)) {
                runBatch();
                return;
            }
        }
    }

    private void runBatch() {
        dirty.set(false);
        processor.processBatch().subscribe().with(claimed -> {
            if (stopped) {
                finish();
            } else if (claimed >= config.batchSize()) {
                startWorker(config.workers());
                runBatch();
            } else if (dirty.get()) {
                // Events keep trickling in: let a few milliseconds of them gather, so that one
                // transaction applies many instead of each paying for its own round trips.
                Uni.createFrom().voidItem().onItem().delayIt().by(config.linger())
                        .subscribe().with(x -> runBatch());
            } else {
                finish();
            }
        }, failure -> {
            LOG.warnf("Inbox processing stopped on an error: %s", failure.getMessage());
            finish();
        });
    }

    private void finish() {
        running.decrementAndGet();
        if (dirty.get()) {
            wake();
        }
    }
}
