package dev.tollgate.entitlements;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.live.AccountChanges;
import dev.tollgate.subscription.CurrentSubscription;
import io.smallrye.mutiny.Uni;

/**
 * Each account's billing state (current subscription, credit balance) in memory, so entitlement checks,
 * the hottest read of the product, need no database round trip. Access is still decided per request
 * from this state and the current time, so a grace period or a period end takes effect on time.
 * <p>
 * Invalidation: PostgreSQL announces every change after its commit (the V6 triggers) to every replica,
 * and {@link AccountChanges} passes it on. A load that started before an invalidation must not store
 * what it read, so entries carry the generation they were read at and an invalidation marks the account
 * with a newer one.
 */
@ApplicationScoped
public class BillingStateCache {

    /** What entitlements are computed from. */
    public record State(Optional<CurrentSubscription> subscription, long balance) {
    }

    private record Entry(long generation, State state, long loadedAtNanos) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong();
    private final long ttlNanos;
    private final int maxSize;
    /** Entries older than this generation are void (set when notifications may have been missed). */
    private volatile long validFrom;

    public BillingStateCache(EntitlementsConfig config, AccountChanges changes) {
        this.ttlNanos = config.cacheTtl().toNanos();
        this.maxSize = config.cacheSize();
        if (ttlNanos > 0) {
            changes.all().subscribe().with(change -> invalidate(change.account()));
        }
    }

    public Uni<State> get(String accountId, Supplier<Uni<State>> load) {
        if (ttlNanos <= 0) {
            return load.get();
        }
        Entry cached = entries.get(accountId);
        if (cached != null && cached.state() != null && cached.generation() >= validFrom
                && System.nanoTime() - cached.loadedAtNanos() < ttlNanos) {
            return Uni.createFrom().item(cached.state());
        }
        long generation = generations.get();
        long started = System.nanoTime();
        return load.get().invoke(state -> store(accountId, generation, state, started));
    }

    private void store(String accountId, long generation, State state, long loadedAt) {
        if (entries.size() >= maxSize) {
            entries.clear();
        }
        entries.compute(accountId, (id, current) -> current != null && current.generation() > generation
                ? current // invalidated while this load was reading: what it read may be stale
                : new Entry(generation, state, loadedAt));
    }

    void invalidate(String accountId) {
        long generation = generations.incrementAndGet();
        if (AccountChanges.EVERYTHING.equals(accountId)) {
            validFrom = generation;
            entries.clear();
        } else {
            entries.put(accountId, new Entry(generation, null, 0));
        }
    }
}
