package dev.tollgate.webhook.inbox;

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
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

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

    // Payloads travel as the bytes that were signed and become text in PostgreSQL (which checks the
    // UTF-8 as it would for text): decoding each one into a Java string, only for the driver to encode it
    // again, was the largest allocation of the acknowledgement path. The payload goes to its own table,
    // only for the events that are new (V12 says why).
    private static final String INSERT_BATCH = "with u as (select * from unnest($1::text[], $2::text[], $3::text[],"
            + " $4::text[], $5::bigint[], $6::text[], $7::bool[], $8::bytea[], $9::text[])"
            + " as u(id, type, object_type, object_id, created, api_version, livemode, payload, source)),"
            + " stored as (insert into stripe_event"
            + " (id, type, object_type, object_id, created, api_version, livemode, source)"
            + " select id, type, object_type, object_id, created, api_version, livemode, source from u"
            + " on conflict (id) do nothing returning id)"
            + " insert into stripe_event_payload (id, payload)"
            + " select u.id, convert_from(u.payload, 'UTF8') from u join stored using (id) returning id";

    /** character_not_in_repertoire: "invalid byte sequence for encoding UTF8". */
    private static final String NOT_UTF8 = "22021";
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
                batch.get(0).emitter().fail(translate(failure));
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
                pending.emitter().fail(translate(failure));
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
        Buffer[] payloads = new Buffer[n];
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
            payloads[i] = Buffer.buffer(e.payload());
            sources[i] = rows.get(i).source();
        }
        Tuple params = Tuple.tuple().addArrayOfString(ids).addArrayOfString(types).addArrayOfString(objectTypes)
                .addArrayOfString(objectIds).addArrayOfLong(created).addArrayOfString(apiVersions)
                .addArrayOfBoolean(livemode).addValue(payloads).addArrayOfString(sources);
        return pool.preparedQuery(INSERT_BATCH).execute(params).map(result -> {
            Set<String> inserted = new HashSet<>();
            for (Row row : result) {
                inserted.add(row.getString(0));
            }
            return inserted;
        });
    }

    /**
     * PostgreSQL refuses bytes that are not UTF-8 as text. Such a body is malformed, not an outage: it
     * must be refused with a 400, not answered with a 5xx that Stripe would retry for days. (Jackson
     * catches most broken UTF-8 while scanning, but not overlong forms or surrogate halves in the strings
     * it skips; checking here costs nothing on the happy path.)
     */
    private static Throwable translate(Throwable failure) {
        if (failure instanceof PgException pg && NOT_UTF8.equals(pg.getSqlState())) {
            return new MalformedEventException("The body is not a Stripe event: it is not valid UTF-8.");
        }
        return failure;
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
