package dev.tollgate.common;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * PostgreSQL LISTEN for the whole instance: one pooled connection listens on every channel a feature
 * asks for, and is re-established after a failure. NOTIFY is delivered only on commit and to every
 * replica, so whichever replica made a change, every replica hears of it.
 */
@ApplicationScoped
public class PgNotifications {

    private static final Logger LOG = Logger.getLogger(PgNotifications.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    /** What a feature does with its channel's notifications. */
    @FunctionalInterface
    public interface Listener {

        void notified(String payload);

        /**
         * Listening (re)started. Notifications sent while this instance was not listening are lost, so
         * whatever a feature derived from them may be stale or late.
         */
        default void listening() {
        }
    }

    private final Pool pool;
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private final Set<String> listened = new HashSet<>();
    private SqlConnection connection;
    private boolean connecting;
    private volatile boolean stopped;

    public PgNotifications(Pool pool) {
        this.pool = pool;
    }

    public synchronized void listen(String channel, Listener listener) {
        listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
        if (connection == null) {
            connect();
        } else if (!listened.contains(channel)) {
            listenOn(connection, channel);
        } else {
            listener.listening();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        SqlConnection open;
        synchronized (this) {
            stopped = true;
            open = connection;
            connection = null;
        }
        if (open != null) {
            open.closeAndForget();
        }
    }

    private synchronized void connect() {
        if (stopped || connecting) {
            return;
        }
        connecting = true;
        pool.getConnection().subscribe().with(this::connected, failure -> {
            synchronized (this) {
                connecting = false;
            }
            retry(failure.getMessage());
        });
    }

    private synchronized void connected(SqlConnection opened) {
        connecting = false;
        if (stopped) {
            opened.closeAndForget();
            return;
        }
        connection = opened;
        listened.clear();
        PgConnection pg = PgConnection.cast(opened);
        pg.notificationHandler(n -> listeners.getOrDefault(n.getChannel(), List.of())
                .forEach(listener -> listener.notified(n.getPayload())));
        pg.closeHandler(() -> {
            synchronized (this) {
                if (connection == opened) {
                    connection = null;
                }
            }
            retry("the listening connection closed");
        });
        listeners.keySet().forEach(channel -> listenOn(opened, channel));
    }

    private void listenOn(SqlConnection on, String channel) {
        listened.add(channel);
        // Channel names are constants of this code base, never input.
        on.query("listen " + channel).execute().subscribe().with(
                ok -> listeners.get(channel).forEach(Listener::listening),
                failure -> on.closeAndForget());
    }

    private void retry(String why) {
        if (stopped) {
            return;
        }
        LOG.warnf("Database notifications paused (%s); listening again in %d s", why, RETRY.toSeconds());
        Uni.createFrom().voidItem().onItem().delayIt().by(RETRY).subscribe().with(x -> connect());
    }
}
