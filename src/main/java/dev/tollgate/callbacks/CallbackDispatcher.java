package dev.tollgate.callbacks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * One delivery round: claims a batch of due callbacks and POSTs each to every receiver that has not
 * acknowledged it yet (callbacks and receivers concurrently, so the whole round fits in one timeout and
 * the lease). 2xx from all: delivered. Otherwise retried with exponential backoff; after the last
 * attempt: dead, until an operator redelivers it.
 */
@ApplicationScoped
public class CallbackDispatcher {

    private static final Logger LOG = Logger.getLogger(CallbackDispatcher.class);
    private static final int MAX_ERROR_LENGTH = 1000;

    /** What one round did: callbacks claimed, and the earliest retry it scheduled (if any). */
    public record Round(int claimed, Optional<Duration> nextRetry) {
    }

    private final CallbackOutbox outbox;
    private final CallbackSender sender;
    private final CallbackBody bodies;
    private final CallbackSettings settings;
    private final CallbacksConfig config;
    private final CallbackMetrics metrics;

    public CallbackDispatcher(CallbackOutbox outbox, CallbackSender sender, CallbackBody bodies,
            CallbackSettings settings, CallbacksConfig config, CallbackMetrics metrics) {
        this.outbox = outbox;
        this.sender = sender;
        this.bodies = bodies;
        this.settings = settings;
        this.config = config;
        this.metrics = metrics;
    }

    public Uni<Round> deliverDue() {
        List<String> urls = settings.urls();
        if (urls.isEmpty()) {
            return Uni.createFrom().item(new Round(0, Optional.empty()));
        }
        return outbox.claim(config.batchSize(), lease()).flatMap(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().item(new Round(0, Optional.empty()));
            }
            List<Uni<Optional<Duration>>> deliveries = claimed.stream().map(c -> deliver(c, urls)).toList();
            return Uni.join().all(deliveries).andCollectFailures().map(retries -> new Round(claimed.size(),
                    retries.stream().flatMap(Optional::stream).min(Duration::compareTo)));
        });
    }

    /** Long enough for every receiver to time out once, with room for the database round trips. */
    private Duration lease() {
        return config.timeout().multipliedBy(2).plusSeconds(30);
    }

    private Uni<Optional<Duration>> deliver(CallbackOutbox.Claimed callback, List<String> urls) {
        String body = bodies.of(callback);
        List<String> remaining = urls.stream().filter(u -> !callback.deliveredUrls().contains(u)).toList();
        List<Uni<String>> posts = remaining.stream().map(url -> sender.send(url, callback.id(), body)).toList();
        Uni<List<String>> outcomes = posts.isEmpty() ? Uni.createFrom().item(List.of())
                : Uni.join().all(posts).andCollectFailures();
        return outcomes.flatMap(errors -> {
            Set<String> delivered = new LinkedHashSet<>(callback.deliveredUrls());
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < remaining.size(); i++) {
                if (errors.get(i) == null) {
                    delivered.add(remaining.get(i));
                    metrics.delivered();
                } else {
                    failures.add(ReceiverUrls.redacted(remaining.get(i)) + ": " + errors.get(i));
                    metrics.attemptFailed();
                }
            }
            return record(callback, List.copyOf(delivered), failures);
        });
    }

    private Uni<Optional<Duration>> record(CallbackOutbox.Claimed callback, List<String> delivered,
            List<String> failures) {
        if (failures.isEmpty()) {
            return outbox.record(callback, "delivered", delivered, null, Duration.ZERO)
                    .replaceWith(Optional.empty());
        }
        String error = truncate(String.join("; ", failures));
        boolean last = callback.attempt() >= config.maxAttempts();
        Duration retryIn = last ? Duration.ZERO : backoff(callback.attempt());
        return outbox.record(callback, last ? "dead" : "pending", delivered, error, retryIn).map(current -> {
            if (!current) {
                return Optional.<Duration> empty();
            }
            if (last) {
                metrics.dead();
                LOG.warnf("Callback %s (%s) dead after %d attempts: %s", callback.id(), callback.type(),
                        callback.attempt(), error);
                return Optional.<Duration> empty();
            }
            return Optional.of(retryIn);
        });
    }

    /** initial × 2^(attempt-1), capped. */
    Duration backoff(int attempt) {
        Duration delay = config.initialBackoff();
        for (int i = 1; i < attempt && delay.compareTo(config.maxBackoff()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }

    private static String truncate(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
