package dev.tollgate.reconciliation;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Makes a reconciliation job run in one replica at a time: a session-level PostgreSQL advisory lock held
 * on a connection borrowed for the whole run. If the replica dies, PostgreSQL drops the session and with
 * it the lock, so a crashed run never blocks the next one. The two-int key form keeps these locks apart
 * from {@code ObjectLocks}' per-object bigint keys.
 */
@ApplicationScoped
public class JobLocks {

    private static final Logger LOG = Logger.getLogger(JobLocks.class);

    /** First half of every job lock key: "tg" and a version, so other users of advisory locks are unlikely to clash. */
    static final int LOCK_CLASS = 0x7467_0001;

    /** The jobs; the number is the second half of the key and must never change. */
    public enum Job {
        CATCH_UP(1),
        BACKFILL(2),
        DRIFT(3);

        final int id;

        Job(int id) {
            this.id = id;
        }
    }

    private final Pool pool;

    public JobLocks(Pool pool) {
        this.pool = pool;
    }

    /** The lock, or empty when another run (in any replica) holds it. */
    public Uni<Optional<Held>> tryAcquire(Job job) {
        return pool.getConnection().flatMap(connection -> connection
                .preparedQuery("select pg_try_advisory_lock($1, $2) as locked")
                .execute(Tuple.of(LOCK_CLASS, job.id))
                .map(rows -> rows.iterator().next().getBoolean("locked"))
                .onFailure().call(connection::close)
                .flatMap(locked -> locked
                        ? Uni.createFrom().item(Optional.of(new Held(connection, job)))
                        : connection.close().replaceWith(Optional.<Held> empty())));
    }

    /** Whether some session, in any replica, holds the job's lock right now. */
    public Uni<Boolean> running(Job job) {
        return pool.preparedQuery("select exists (select 1 from pg_locks where locktype = 'advisory'"
                + " and objsubid = 2 and classid::bigint = $1 and objid::bigint = $2 and granted) as held")
                .execute(Tuple.of((long) LOCK_CLASS, (long) job.id))
                .map(rows -> rows.iterator().next().getBoolean("held"));
    }

    /** A held job lock; {@link #release()} must run when the job ends, however it ends. */
    public static final class Held {

        private final SqlConnection connection;
        private final Job job;

        Held(SqlConnection connection, Job job) {
            this.connection = connection;
            this.job = job;
        }

        /**
         * Unlocks before handing the connection back: a pooled connection outlives the borrow, and its
         * session would otherwise keep the lock.
         */
        public Uni<Void> release() {
            return connection.preparedQuery("select pg_advisory_unlock($1, $2)").execute(Tuple.of(LOCK_CLASS, job.id))
                    .replaceWithVoid()
                    .onFailure().invoke(e -> LOG.warnf("Could not release the %s lock: %s", job, e.getMessage()))
                    .onFailure().recoverWithNull().replaceWithVoid()
                    .eventually(connection::close);
        }
    }
}
