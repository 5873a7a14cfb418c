package dev.tollgate.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.usage.UsageRecords.NewRecord;
import dev.tollgate.usage.UsageRecords.Written;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Group commit for usage ingestion: a record is answered once its row is committed, and records that
 * arrive while inserts are in flight share the next insert (one statement, one commit, up to
 * write-batch-size rows). An idle service writes each record at once, alone; a busy one pays one commit
 * per batch instead of one per record, which is what ingestion throughput is bounded by.
 */
@ApplicationScoped
class UsageWriter {

    /**
     * Inserts in flight at once. One: records arriving while an insert runs gather into the next, so the
     * commit rate stays low and batches grow with the load; measured against 2 and 4 (docs/BENCHMARKS.md,
     * "Usage ingestion and delivery"), one gave the most records per second at the same p99.
     */
    static final int IN_FLIGHT = 1;

    private record Pending(NewRecord record, UniEmitter<? super Written> answer) {
    }

    private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final UsageRecords records;
    private final Pool pool;
    private final int batchSize;

    UsageWriter(UsageRecords records, Pool pool, UsageConfig config) {
        this.records = records;
        this.pool = pool;
        this.batchSize = config.writeBatchSize();
    }

    Uni<Written> write(NewRecord record) {
        return Uni.createFrom().emitter(emitter -> {
            waiting.add(new Pending(record, emitter));
            drain();
        });
    }

    private void drain() {
        while (!waiting.isEmpty()) {
            int running = inFlight.get();
            if (running >= IN_FLIGHT) {
                return; // a finishing insert drains again
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Pending> batch = new ArrayList<>();
            Pending next;
            while (batch.size() < batchSize && (next = waiting.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            send(batch);
        }
    }

    private void send(List<Pending> batch) {
        records.insert(pool, batch.stream().map(Pending::record).toList()).subscribe().with(written -> {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).answer().complete(written.get(i));
            }
            finished();
        }, failure -> {
            if (batch.size() == 1) {
                batch.get(0).answer().fail(failure);
            } else {
                // One record's failure must not be every record's: each goes again alone.
                batch.forEach(p -> records.insert(pool, List.of(p.record())).subscribe()
                        .with(w -> p.answer().complete(w.get(0)), p.answer()::fail));
            }
            finished();
        });
    }

    private void finished() {
        inFlight.decrementAndGet();
        drain();
    }
}
