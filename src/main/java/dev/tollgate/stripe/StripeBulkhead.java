package dev.tollgate.stripe;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.common.Problem;
import dev.tollgate.common.ProblemException;

/**
 * The threads stripe-java blocks on, apart from Quarkus' shared worker pool: a slow Stripe (its read
 * timeout is 20 s, with retries) then ties up at most {@code max-concurrent} threads of its own, and
 * everything else that runs on worker threads keeps its capacity. Calls beyond the threads wait in a
 * bounded queue; beyond that they are refused at once with 503 and Retry-After instead of piling up.
 */
@ApplicationScoped
public class StripeBulkhead {

    private final ThreadPoolExecutor executor;

    public StripeBulkhead(StripeConfig config) {
        StripeConfig.Bulkhead settings = config.bulkhead();
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(settings.maxConcurrent(), settings.maxConcurrent(), 60,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(settings.queue()), runnable -> {
                    Thread thread = new Thread(runnable, "stripe-call-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    public Executor executor() {
        return executor;
    }

    /** Calls running or queued: exported as a gauge by the gateway. */
    public int inFlight() {
        return executor.getActiveCount() + executor.getQueue().size();
    }

    /** The answer when both the threads and the queue are full. */
    static ProblemException full(RejectedExecutionException e) {
        return new ProblemException(Problem.of(503, "stripe-busy", "Service unavailable",
                "Too many Stripe calls are in progress; try again shortly."), Map.of("Retry-After", "2"));
    }

    @PreDestroy
    void stop() {
        executor.shutdown();
    }
}
