package dev.tollgate.devmode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Waits until events this instance was sent are no longer pending in the inbox, so that a dev shortcut (a
 * scenario, a simulated payment) answers once their consequences are visible.
 */
final class InboxWait {

    static final Duration PROCESSING_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(InboxWait.class);

    private InboxWait() {
    }

    /** The inbox statuses of the delivered events, once none is pending any more (or the wait is over). */
    static Uni<List<DevResource.SentEvent>> applied(Pool pool, List<WebhookSender.Delivery> sent) {
        return await(pool, sent, System.nanoTime() + PROCESSING_WAIT.toNanos());
    }

    private static Uni<List<DevResource.SentEvent>> await(Pool pool, List<WebhookSender.Delivery> sent, long deadline) {
        String[] ids = sent.stream().map(WebhookSender.Delivery::id).toArray(String[]::new);
        return pool.preparedQuery("select id, status from stripe_event where id = any($1)").execute(Tuple.of(ids))
                .flatMap(rows -> {
                    Map<String, String> statuses = new HashMap<>();
                    for (Row row : rows) {
                        statuses.put(row.getString("id"), row.getString("status"));
                    }
                    boolean pending = statuses.containsValue("pending");
                    if (pending && System.nanoTime() < deadline) {
                        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(50))
                                .flatMap(x -> await(pool, sent, deadline));
                    }
                    List<DevResource.SentEvent> result = new ArrayList<>();
                    for (WebhookSender.Delivery d : sent) {
                        result.add(new DevResource.SentEvent(d.id(), d.type(), d.objectId(), d.status(),
                                statuses.getOrDefault(d.id(), "not stored")));
                    }
                    if (pending) {
                        LOG.infof("Dev events still pending after %s: see GET /v1/admin/events?status=pending",
                                PROCESSING_WAIT);
                    }
                    return Uni.createFrom().item(result);
                });
    }
}
