package dev.tollgate.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.mutiny.sqlclient.Tuple;

/**
 * How one Stripe object type is mirrored: its table, the typed columns read from the object, and the
 * two numbers that order versions created in the same second: the lifecycle rank of its status
 * (an invoice never goes from paid back to open) and a progress counter (attempts, refunds, periods).
 */
public final class MirrorSpec {

    /** Rank given to deletions: nothing that happens in the same second comes after a delete. */
    public static final int DELETED_RANK = 100;

    private final String objectType;
    private final String table;
    private final List<Column> columns;
    private final Map<String, Integer> statusRanks;
    private final Function<JsonNode, String> rankKey;
    private final Function<JsonNode, Long> progress;
    private final String upsertSql;
    private final String selectSql;
    private final ChildRows children;

    private MirrorSpec(Builder b) {
        this.children = b.children;
        this.objectType = b.objectType;
        this.table = b.table;
        this.columns = List.copyOf(b.columns);
        this.statusRanks = Map.copyOf(b.statusRanks);
        this.rankKey = b.rankKey;
        this.progress = b.progress;
        this.upsertSql = buildUpsert();
        // The stored JSON is only fetched for objects with an incoming version of the same second ($2, $3):
        // only those need VersionGuard to look inside; the rest are ordered by their seconds alone.
        this.selectSql = "select m.id, m.version_created, m.version_event_id, m.version_rank, m.version_progress,"
                + " case when t.id is null then null else m.prev_attrs end as prev_attrs,"
                + " case when t.id is null then null else m.raw end as raw"
                + " from " + table + " m left join (select distinct u.id, u.created from unnest($2::text[], $3::bigint[])"
                + " as u(id, created)) t on t.id = m.id and t.created = m.version_created where m.id = any($1)";
    }

    public static Builder builder(String objectType, String table) {
        return new Builder(objectType, table);
    }

    public String objectType() {
        return objectType;
    }

    public String table() {
        return table;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Rows of a child table rewritten with each new version (a subscription's items), or null. */
    public ChildRows children() {
        return children;
    }

    public String upsertSql() {
        return upsertSql;
    }

    public String selectSql() {
        return selectSql;
    }

    public int rank(JsonNode object, String eventType) {
        if (eventType.endsWith(".deleted") || object.path("deleted").asBoolean(false)) {
            return DELETED_RANK;
        }
        String key = rankKey.apply(object);
        return key == null ? 0 : statusRanks.getOrDefault(key, 0);
    }

    public long progress(JsonNode object) {
        Long value = progress.apply(object);
        return value == null ? 0 : value;
    }

    private String buildUpsert() {
        List<String> names = new ArrayList<>();
        names.add("id");
        columns.forEach(c -> names.add(c.name()));
        names.addAll(List.of("version_created", "version_event_id", "version_rank", "version_progress", "prev_attrs",
                "raw"));
        String placeholders = java.util.stream.IntStream.rangeClosed(1, names.size()).mapToObj(i -> "$" + i)
                .collect(Collectors.joining(", "));
        String updates = names.stream().filter(n -> !n.equals("id")).map(n -> n + " = excluded." + n)
                .collect(Collectors.joining(", "));
        // The where clause is a second line of defence: the processor already decided, under the
        // object's lock, that this version is newer; a row from a later second must still never lose.
        return "insert into " + table + " (" + String.join(", ", names) + ") values (" + placeholders
                + ") on conflict (id) do update set " + updates + ", updated_at = now() where " + table
                + ".version_created <= excluded.version_created";
    }

    /** Child rows replaced whenever their parent's version is replaced. */
    public record ChildRows(String deleteSql, String insertSql, Function<JsonNode, List<Tuple>> rows) {
    }

    /** A typed column read from the Stripe object. */
    public record Column(String name, Function<JsonNode, Object> value) {
    }

    public static final class Builder {
        private final String objectType;
        private final String table;
        private final List<Column> columns = new ArrayList<>();
        private final Map<String, Integer> statusRanks = new java.util.HashMap<>();
        private Function<JsonNode, String> rankKey = o -> null;
        private Function<JsonNode, Long> progress = o -> 0L;
        private ChildRows children;

        private Builder(String objectType, String table) {
            this.objectType = objectType;
            this.table = table;
        }

        public Builder column(String name, Function<JsonNode, Object> value) {
            columns.add(new Column(name, value));
            return this;
        }

        /** Statuses in lifecycle order; statuses given in one call share a rank. */
        public Builder lifecycle(Function<JsonNode, String> key, List<List<String>> ranks) {
            this.rankKey = key;
            for (int rank = 0; rank < ranks.size(); rank++) {
                for (String status : ranks.get(rank)) {
                    statusRanks.put(status, rank);
                }
            }
            return this;
        }

        public Builder progress(Function<JsonNode, Long> progress) {
            this.progress = progress;
            return this;
        }

        public Builder children(ChildRows children) {
            this.children = children;
            return this;
        }

        public MirrorSpec build() {
            return new MirrorSpec(this);
        }
    }
}
