package dev.tollgate.mirror;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Per-object transaction locks (PostgreSQL advisory locks), so that two replicas, or a webhook and an
 * API call, never apply changes to the same Stripe object at the same time. Keys are taken in
 * ascending order, which rules out deadlocks between two batches that share objects.
 */
@ApplicationScoped
public class ObjectLocks {

    private static final String LOCK_SQL = "select count(pg_advisory_xact_lock(k)) from"
            + " (select distinct k from unnest($1::bigint[]) as k order by k) as keys";

    public Uni<Void> lock(SqlConnection connection, Collection<String> objectKeys) {
        if (objectKeys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] keys = objectKeys.stream().map(ObjectLocks::key).sorted().distinct().toArray(Long[]::new);
        return connection.preparedQuery(LOCK_SQL).execute(Tuple.of(keys)).replaceWithVoid();
    }

    public static String objectKey(String objectType, String objectId) {
        return objectType + ":" + objectId;
    }

    /** FNV-1a, 64 bit: stable across JVMs and replicas; a collision only serializes two objects. */
    static long key(String objectKey) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : objectKey.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
