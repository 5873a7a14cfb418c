package dev.tollgate.live;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tollgate.common.Problem;
import dev.tollgate.common.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * The open live streams of this instance, by account. Admission is race-free against both caps (an atomic
 * total and a per-account compute), a change is handed only to the streams of its account (a map lookup,
 * not every stream filtering every change), and one shared timer sends the heartbeats and ends the streams
 * whose token expired. A stream leaves the registry on every way it can end: client gone, token expired,
 * write failure, or never subscribed.
 */
@ApplicationScoped
public class LiveStreams {

    /** The last event of a stream whose token expired: the client reconnects with a fresh token. */
    public static final String TOKEN_EXPIRED = "token-expired";
    /** Seconds a refused client should wait: about as long as a closed tab takes to be noticed. */
    private static final String RETRY_AFTER_SECONDS = "10";
    /** A reserved stream whose response never subscribed (the client left first) is released after this. */
    private static final long UNATTACHED_GRACE_MILLIS = 10_000;
    /** Events buffered for a client that does not read; beyond this its stream fails and is closed. */
    static final int BUFFER = 64;

    private final LiveConfig config;
    private final AccountChanges changes;
    private final Map<String, Set<Stream>> byAccount = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong nextHeartbeat = new AtomicLong();

    public LiveStreams(LiveConfig config, AccountChanges changes, MeterRegistry registry) {
        this.config = config;
        this.changes = changes;
        registry.gauge("tollgate.live.streams", open);
    }

    void onStart(@Observes StartupEvent event) {
        changes.all().subscribe().with(this::route);
    }

    /**
     * Reserves a stream for the account, or refuses with 429 when the account or this instance is at its
     * cap. {@code expiresAt} is when the caller's token expires (null: never).
     */
    public Stream open(String account, Instant expiresAt) {
        if (open.incrementAndGet() > config.maxStreams()) {
            open.decrementAndGet();
            throw tooMany("This instance already serves " + config.maxStreams()
                    + " live streams; retry later or poll instead.");
        }
        Stream stream = new Stream(account, expiresAt == null ? Long.MAX_VALUE : expiresAt.toEpochMilli());
        boolean[] admitted = { false };
        byAccount.compute(account, (key, streams) -> {
            Set<Stream> set = streams == null ? ConcurrentHashMap.newKeySet() : streams;
            if (set.size() < config.maxStreamsPerAccount()) {
                set.add(stream);
                admitted[0] = true;
            }
            return set.isEmpty() ? null : set;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            throw tooMany("This account already has " + config.maxStreamsPerAccount()
                    + " open live streams; close one (another tab) first.");
        }
        return stream;
    }

    /** Streams open on this instance, reserved ones included. */
    public int count() {
        return open.get();
    }

    /** Streams open for one account on this instance. */
    public int count(String account) {
        Set<Stream> streams = byAccount.get(account);
        return streams == null ? 0 : streams.size();
    }

    private void route(AccountChanges.Change change) {
        Set<Stream> streams = byAccount.get(change.account());
        if (streams != null) {
            streams.forEach(stream -> stream.send(change));
        }
    }

    /** The one timer of all streams: heartbeats when due, expired tokens, responses that never subscribed. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        long now = System.currentTimeMillis();
        boolean heartbeat = now >= nextHeartbeat.get();
        if (heartbeat) {
            nextHeartbeat.set(now + config.heartbeat().toMillis());
        }
        for (Set<Stream> streams : byAccount.values()) {
            for (Stream stream : streams) {
                stream.tick(now, heartbeat);
            }
        }
    }

    private void release(Stream stream) {
        if (!stream.released.compareAndSet(false, true)) {
            return;
        }
        byAccount.computeIfPresent(stream.account, (key, streams) -> {
            streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
        open.decrementAndGet();
    }

    private static ProblemException tooMany(String detail) {
        return new ProblemException(Problem.of(429, "too-many-streams", "Too many requests", detail),
                Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }

    /** One client's stream: reserved by {@link #open}, attached once its response subscribes. */
    public final class Stream {

        private final String account;
        private final long expiresAtMillis;
        private final long reservedAtMillis = System.currentTimeMillis();
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile MultiEmitter<? super AccountChanges.Change> emitter;

        private Stream(String account, long expiresAtMillis) {
            this.account = account;
            this.expiresAtMillis = expiresAtMillis;
        }

        /** Called when the response subscribes; every way the stream terminates releases it. */
        public void attach(MultiEmitter<? super AccountChanges.Change> emitter) {
            emitter.onTermination(() -> release(this));
            if (released.get()) {
                emitter.complete(); // released meanwhile (reserved too long ago): nothing to serve
                return;
            }
            this.emitter = emitter;
            tick(System.currentTimeMillis(), false);
        }

        private void send(AccountChanges.Change change) {
            MultiEmitter<? super AccountChanges.Change> target = emitter;
            if (target != null && !target.isCancelled()) {
                target.emit(change);
            }
        }

        private void tick(long now, boolean heartbeat) {
            MultiEmitter<? super AccountChanges.Change> target = emitter;
            if (target == null) {
                if (now - reservedAtMillis > UNATTACHED_GRACE_MILLIS) {
                    release(this);
                }
                return;
            }
            if (now >= expiresAtMillis) {
                target.emit(new AccountChanges.Change(account, TOKEN_EXPIRED));
                target.complete();
            } else if (heartbeat) {
                send(new AccountChanges.Change(account, "heartbeat"));
            }
        }
    }
}
