package dev.tollgate.live;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tollgate.common.PgNotifications;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Changes to accounts as PostgreSQL announces them (V6/V11 triggers, channel tollgate_account), fanned
 * out to this instance's live streams and caches. Whichever replica applied a change, every replica's
 * clients hear of it.
 */
@ApplicationScoped
public class AccountChanges {

    /** What changed for an account: subscription, credits or license. */
    public record Change(String account, String kind) {
    }

    /** Not an account: "forget everything you hold". */
    public static final String EVERYTHING = "*";

    private final PgNotifications notifications;
    private final BroadcastProcessor<Change> changes = BroadcastProcessor.create();

    public AccountChanges(PgNotifications notifications) {
        this.notifications = notifications;
    }

    void onStart(@Observes StartupEvent event) {
        notifications.listen("tollgate_account", new PgNotifications.Listener() {
            @Override
            public void notified(String payload) {
                int colon = payload.indexOf(':');
                if (colon > 0) {
                    changes.onNext(new Change(payload.substring(colon + 1), payload.substring(0, colon)));
                }
            }

            @Override
            public void listening() {
                changes.onNext(new Change(EVERYTHING, "reset"));
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        changes.onComplete();
    }

    /**
     * Every change, and {@link #EVERYTHING} whenever listening (re)starts: notifications sent while this
     * instance was not listening are lost, so whatever it remembers may be stale.
     */
    public Multi<Change> all() {
        return changes;
    }
}
