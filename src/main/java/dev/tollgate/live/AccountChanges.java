package dev.tollgate.live;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Changes to accounts as PostgreSQL announces them (V6 triggers, channel tollgate_account): one
 * listening connection per instance, re-established after a failure, fanned out to this instance's live
 * streams. Whichever replica applied a change, every replica's clients hear of it.
 */
@ApplicationScoped
public class AccountChanges {

    private static final Logger LOG = Logger.getLogger(AccountChanges.class);

    /** What changed for an account: subscription, credits or license. */
    public record Change(String account, String kind) {
    }

    private final Pool pool;
    private final BroadcastProcessor<Change> changes = BroadcastProcessor.create();
    private volatile SqlConnection listener;
    private volatile boolean stopped;

    public AccountChanges(Pool pool) {
        this.pool = pool;
    }

    void onStart(@Observes StartupEvent event) {
        listen();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        SqlConnection connection = listener;
        if (connection != null) {
            connection.closeAndForget();
        }
        changes.onComplete();
    }

    public Multi<Change> of(String accountId) {
        return changes.filter(change -> change.account().equals(accountId));
    }

    /**
     * Every change, and {@link #EVERYTHING} whenever listening (re)starts: notifications sent while this
     * instance was not listening are lost, so whatever it remembers may be stale.
     */
    public Multi<Change> all() {
        return changes;
    }

    /** Not an account: "forget everything you hold". */
    public static final String EVERYTHING = "*";

    private void listen() {
        if (stopped) {
            return;
        }
        pool.getConnection().flatMap(connection -> {
            listener = connection;
            PgConnection pg = PgConnection.cast(connection);
            pg.notificationHandler(notification -> {
                String payload = notification.getPayload();
                int colon = payload.indexOf(':');
                if (colon > 0) {
                    changes.onNext(new Change(payload.substring(colon + 1), payload.substring(0, colon)));
                }
            });
            pg.closeHandler(() -> retry("the listening connection closed"));
            return connection.query("listen tollgate_account").execute();
        }).subscribe().with(ok -> {
            LOG.debug("Listening for account changes");
            changes.onNext(new Change(EVERYTHING, "reset"));
        },
                failure -> retry(failure.getMessage()));
    }

    private void retry(String why) {
        if (stopped) {
            return;
        }
        LOG.warnf("Live account updates paused (%s); listening again in 2 s", why);
        Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofSeconds(2)).subscribe().with(x -> listen());
    }
}
