package dev.tollgate.reconciliation;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The persisted position of the Events API catch-up. */
@ApplicationScoped
public class CatchUpCursor {

    /**
     * @param at epoch seconds; every event created before it has been stored in the inbox
     * @param newestEventId the newest event any run has seen, for operators
     */
    public record Position(long at, String newestEventId, Long newestEventCreated) {
    }

    private static final String NAME = "events";
    private static final String LOAD = "select cursor_at, newest_event_id, newest_event_created"
            + " from reconciliation_cursor where name = $1";
    // Never moves back: a slow run that started earlier cannot undo a later one.
    private static final String ADVANCE = "insert into reconciliation_cursor"
            + " (name, cursor_at, newest_event_id, newest_event_created) values ($1, $2, $3, $4)"
            + " on conflict (name) do update set cursor_at = greatest(reconciliation_cursor.cursor_at, excluded.cursor_at),"
            + " newest_event_id = case when excluded.newest_event_created >= coalesce("
            + "reconciliation_cursor.newest_event_created, 0) then excluded.newest_event_id"
            + " else reconciliation_cursor.newest_event_id end,"
            + " newest_event_created = greatest(reconciliation_cursor.newest_event_created, excluded.newest_event_created),"
            + " updated_at = now()"
            + " returning cursor_at, newest_event_id, newest_event_created";

    private final Pool pool;

    public CatchUpCursor(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<Position>> load() {
        return pool.preparedQuery(LOAD).execute(Tuple.of(NAME))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(position(rows.iterator().next()))
                        : Optional.empty());
    }

    public Uni<Position> advance(long at, String newestEventId, Long newestEventCreated) {
        return pool.preparedQuery(ADVANCE).execute(Tuple.of(NAME, at, newestEventId, newestEventCreated))
                .map(rows -> position(rows.iterator().next()));
    }

    private static Position position(Row row) {
        return new Position(row.getLong("cursor_at"), row.getString("newest_event_id"),
                row.getLong("newest_event_created"));
    }
}
