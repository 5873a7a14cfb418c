package dev.tollgate.webhook;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Stores events in the inbox, once per id. Concurrent deliveries are grouped into one multi-row
 * INSERT (group commit): while a flush is in flight, new events queue and go out together in the next
 * one. That is what lets one PostgreSQL keep up with Stripe's bursts.
 *
 * <p>
 * Rows of a batch are sorted and de-duplicated by id so two batches holding the same ids cannot
 * deadlock. A batch that fails is retried row by row, so one bad row cannot fail its neighbours.
 */
@ApplicationScoped
public class InboxWriter {

    private static final String INSERT_BATCH = "insert into stripe_event"
            + " (id, type, object_type, object_id, created, api_version, livemode, payload, source)"
            + " select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],"
            + " $7::bool[], $8::text[], $9::text[]) on conflict (id) do nothing returning id";

    private static final int MAX_BATCH = 256;
    private static final int MAX_CONCURRENT_FLUSHES = 3;

    private final Pool pool;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    public InboxWriter(Pool pool) {
        this.pool = pool;
    }

    /** Completes with true once the event is durable, false when the inbox already had it. */
    public Uni<Boolean> store(EventEnvelope event, String source) {
        return Uni.createFrom().emitter(emitter -> {
            queue.add(new Pending(event, source, emitter));
            maybeFlush();
        });
    }

    private void maybeFlush() {
        while (!queue.isEmpty()) {
            int current = inFlight.get();
            if (current >= MAX_CONCURRENT_FLUSHES) {
                return;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                flush();
            }
        }
    }

    private void flush() {
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            done();
            return;
        }
        insert(batch).subscribe().with(inserted -> {
            settle(batch, inserted);
            done();
        }, failure -> {
            if (batch.size() == 1) {
                batch.get(0).emitter().fail(failure);
                done();
            } else {
                oneByOne(batch);
            }
        });
    }

    private void oneByOne(List<Pending> batch) {
        AtomicInteger left = new AtomicInteger(batch.size());
        for (Pending pending : batch) {
            insert(List.of(pending)).subscribe().with(inserted -> {
                settle(List.of(pending), inserted);
                if (left.decrementAndGet() == 0) {
                    done();
                }
            }, failure -> {
                pending.emitter().fail(failure);
                if (left.decrementAndGet() == 0) {
                    done();
                }
            });
        }
    }

    private void done() {
        inFlight.decrementAndGet();
        maybeFlush();
    }

    private Uni<Set<String>> insert(List<Pending> batch) {
        List<Pending> rows = new ArrayList<>(batch);
        rows.sort(Comparator.comparing(p -> p.event().id()));
        Set<String> seen = new HashSet<>();
        rows.removeIf(p -> !seen.add(p.event().id()));
        int n = rows.size();
        String[] ids = new String[n];
        String[] types = new String[n];
        String[] objectTypes = new String[n];
        String[] objectIds = new String[n];
        Long[] created = new Long[n];
        String[] apiVersions = new String[n];
        Boolean[] livemode = new Boolean[n];
        String[] payloads = new String[n];
        String[] sources = new String[n];
        for (int i = 0; i < n; i++) {
            EventEnvelope e = rows.get(i).event();
            ids[i] = e.id();
            types[i] = e.type();
            objectTypes[i] = e.objectType();
            objectIds[i] = e.objectId();
            created[i] = e.created();
            apiVersions[i] = e.apiVersion();
            livemode[i] = e.livemode();
            payloads[i] = e.payload();
            sources[i] = rows.get(i).source();
        }
        Tuple params = Tuple.tuple().addArrayOfString(ids).addArrayOfString(types).addArrayOfString(objectTypes)
                .addArrayOfString(objectIds).addArrayOfLong(created).addArrayOfString(apiVersions)
                .addArrayOfBoolean(livemode).addArrayOfString(payloads).addArrayOfString(sources);
        return pool.preparedQuery(INSERT_BATCH).execute(params).map(result -> {
            Set<String> inserted = new HashSet<>();
            for (Row row : result) {
                inserted.add(row.getString(0));
            }
            return inserted;
        });
    }

    /** The first pending delivery of a newly inserted id wins; every other one is a duplicate. */
    private static void settle(List<Pending> batch, Set<String> inserted) {
        Set<String> claimed = new HashSet<>();
        for (Pending pending : batch) {
            String id = pending.event().id();
            pending.emitter().complete(inserted.contains(id) && claimed.add(id));
        }
    }

    private record Pending(EventEnvelope event, String source, UniEmitter<? super Boolean> emitter) {
    }
}
