package dev.tollgate.mirror;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes versions of one object type to its mirror table, keeping for each object only the newest
 * version according to {@link VersionGuard}. Callers hold the objects' locks ({@link ObjectLocks})
 * inside the same transaction.
 */
@ApplicationScoped
public class MirrorWriter {

    private final ObjectMapper mapper;

    public MirrorWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Folds {@code versions} (in the order they should be considered) into the stored state and writes
     * the winners. Returns what happened to each object.
     */
    public Uni<FoldResult> write(SqlConnection connection, MirrorSpec spec, List<ObjectVersion> versions) {
        if (versions.isEmpty()) {
            return Uni.createFrom().item(FoldResult.EMPTY);
        }
        String[] ids = versions.stream().map(ObjectVersion::objectId).distinct().toArray(String[]::new);
        String[] versionIds = versions.stream().map(ObjectVersion::objectId).toArray(String[]::new);
        Long[] versionSeconds = versions.stream().map(ObjectVersion::created).toArray(Long[]::new);
        return connection.preparedQuery(spec.selectSql()).execute(Tuple.of(ids, versionIds, versionSeconds))
                .map(rows -> {
                    Map<String, ObjectVersion> stored = new HashMap<>();
                    for (Row row : rows) {
                        stored.put(row.getString("id"), storedVersion(row));
                    }
                    return fold(stored, versions);
                })
                .flatMap(result -> persist(connection, spec, result).replaceWith(result));
    }

    static FoldResult fold(Map<String, ObjectVersion> stored, List<ObjectVersion> versions) {
        Map<String, ObjectVersion> current = new HashMap<>(stored);
        Map<String, ObjectVersion> changed = new LinkedHashMap<>();
        List<String> ambiguous = new ArrayList<>();
        for (ObjectVersion incoming : versions) {
            ObjectVersion held = current.get(incoming.objectId());
            switch (VersionGuard.compare(incoming, held)) {
                case NEWER -> {
                    current.put(incoming.objectId(), incoming);
                    changed.put(incoming.objectId(), incoming);
                }
                case AMBIGUOUS -> ambiguous.add(incoming.objectId());
                case OLDER_OR_SAME -> {
                    // an older or duplicate version: the held one stays
                }
            }
        }
        return new FoldResult(List.copyOf(changed.values()), List.copyOf(ambiguous));
    }

    private Uni<Void> persist(SqlConnection connection, MirrorSpec spec, FoldResult result) {
        if (result.written().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ObjectVersion> sorted = new ArrayList<>(result.written());
        sorted.sort(java.util.Comparator.comparing(ObjectVersion::objectId));
        List<Tuple> rows = sorted.stream().map(v -> row(spec, v)).toList();
        Uni<Void> upsert = connection.preparedQuery(spec.upsertSql()).executeBatch(rows).replaceWithVoid();
        MirrorSpec.ChildRows children = spec.children();
        if (children == null) {
            return upsert;
        }
        String[] parents = sorted.stream().map(ObjectVersion::objectId).toArray(String[]::new);
        List<Tuple> childRows = sorted.stream().flatMap(v -> children.rows().apply(v.object()).stream()).toList();
        return upsert
                .flatMap(x -> connection.preparedQuery(children.deleteSql()).execute(Tuple.of(parents)))
                .flatMap(x -> childRows.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : connection.preparedQuery(children.insertSql()).executeBatch(childRows).replaceWithVoid());
    }

    private static Tuple row(MirrorSpec spec, ObjectVersion v) {
        List<Object> values = new ArrayList<>(spec.columns().size() + 7);
        values.add(v.objectId());
        for (MirrorSpec.Column column : spec.columns()) {
            values.add(column.name().equals("deleted") ? v.deleted() : column.value().apply(v.object()));
        }
        values.add(v.created());
        values.add(v.sourceId());
        values.add(v.rank());
        values.add(v.progress());
        values.add(v.previousAttributes() == null ? null : v.previousAttributes().toString());
        values.add(v.raw());
        return Tuple.from(values);
    }

    /**
     * The stored version. Its JSON comes back (and is parsed) only when an incoming version of the same
     * object is from the same second: only then does {@link VersionGuard} look inside it, and reading
     * every stored row cost as much as reading the events themselves.
     */
    private ObjectVersion storedVersion(Row row) {
        String raw = row.getString("raw");
        String prev = row.getString("prev_attrs");
        return new ObjectVersion(
                row.getString("id"),
                row.getLong("version_created"),
                row.getString("version_event_id"),
                row.getInteger("version_rank"),
                row.getLong("version_progress"),
                prev == null ? null : parse(prev),
                raw == null ? MissingNode.getInstance() : parse(raw),
                row.getInteger("version_rank") == MirrorSpec.DELETED_RANK);
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("A mirror row holds JSON that does not parse", e);
        }
    }

    /**
     * @param written the versions that replaced what was held, one per object
     * @param ambiguous ids of objects with a same-second version nothing could order
     */
    public record FoldResult(List<ObjectVersion> written, List<String> ambiguous) {
        static final FoldResult EMPTY = new FoldResult(List.of(), List.of());
    }
}
