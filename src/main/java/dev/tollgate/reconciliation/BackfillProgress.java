package dev.tollgate.reconciliation;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Per-resource backfill progress in {@code backfill_progress}: where to continue, and what is done. */
@ApplicationScoped
public class BackfillProgress {

    /** Progress of one resource. */
    public record Resource(String resource, long imported, boolean done, String startingAfter, String lastError,
            OffsetDateTime startedAt, OffsetDateTime finishedAt) {
    }

    private static final String ENSURE = "insert into backfill_progress (resource) select unnest($1::text[])"
            + " on conflict do nothing";
    private static final String RESET = "update backfill_progress set starting_after = null, imported = 0,"
            + " done = false, last_error = null, started_at = null, finished_at = null, updated_at = now()";
    private static final String LIST = "select resource, imported, done, starting_after, last_error, started_at,"
            + " finished_at from backfill_progress";
    private static final String STARTED = "update backfill_progress set started_at = coalesce(started_at, now()),"
            + " last_error = null, updated_at = now() where resource = $1";
    private static final String PAGE_DONE = "update backfill_progress set starting_after = coalesce($2, starting_after),"
            + " imported = imported + $3, done = $4, finished_at = case when $4 then now() end, updated_at = now()"
            + " where resource = $1";
    private static final String FAILED = "update backfill_progress set last_error = $2, updated_at = now()"
            + " where resource = $1";

    private final Pool pool;

    public BackfillProgress(Pool pool) {
        this.pool = pool;
    }

    /** Every resource, in import order; rows appear on first use. */
    public Uni<List<Resource>> all() {
        return ensure().flatMap(x -> pool.query(LIST).execute()).map(rows -> {
            List<Resource> found = new ArrayList<>();
            for (Row row : rows) {
                found.add(new Resource(row.getString("resource"), row.getLong("imported"), row.getBoolean("done"),
                        row.getString("starting_after"), row.getString("last_error"),
                        row.getOffsetDateTime("started_at"), row.getOffsetDateTime("finished_at")));
            }
            List<String> order = Arrays.stream(BackfillResource.values()).map(BackfillResource::resource).toList();
            found.sort(java.util.Comparator.comparingInt(r -> order.indexOf(r.resource())));
            return found;
        });
    }

    public Uni<Void> reset() {
        return ensure().flatMap(x -> pool.query(RESET).execute()).replaceWithVoid();
    }

    Uni<Void> started(BackfillResource resource) {
        return pool.preparedQuery(STARTED).execute(Tuple.of(resource.resource())).replaceWithVoid();
    }

    Uni<Void> pageDone(BackfillResource resource, String lastId, int imported, boolean done) {
        return pool.preparedQuery(PAGE_DONE).execute(Tuple.of(resource.resource(), lastId, imported, done))
                .replaceWithVoid();
    }

    Uni<Void> failed(BackfillResource resource, String error) {
        return pool.preparedQuery(FAILED).execute(Tuple.of(resource.resource(), error)).replaceWithVoid();
    }

    private Uni<Void> ensure() {
        String[] names = Arrays.stream(BackfillResource.values()).map(BackfillResource::resource).toArray(String[]::new);
        return pool.preparedQuery(ENSURE).execute(Tuple.of((Object) names)).replaceWithVoid();
    }
}
