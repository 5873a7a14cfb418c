package dev.tollgate.webhook.processing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.common.LogContext;
import dev.tollgate.webhook.WebhookConfig;
import dev.tollgate.webhook.WebhookMetrics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Claims pending inbox events and applies them. Claim, apply and the status update share one
 * transaction: a crash rolls all of it back and the events are simply pending again. Rows are claimed
 * with {@code FOR UPDATE SKIP LOCKED}, so replicas share the work without taking the same event.
 *
 * <p>
 * A batch that fails is retried event by event, so one bad event cannot hold up the others; an event
 * that fails alone is retried with exponential backoff and parked as {@code failed} after
 * {@code max-attempts}, with its error, for an operator to replay.
 */
@ApplicationScoped
public class EventProcessor {

    private static final Logger LOG = Logger.getLogger(EventProcessor.class);

    // Rows are locked first and joined to their payloads after, so rows skipped because another worker
    // holds them cost an index entry, not a payload read. The payload comes back as bytes (convert_to
    // is a copy in a UTF-8 database): no decoding to a String here only to encode it again for the
    // JSON parser.
    private static final String CLAIM_BATCH = claim("status = 'pending' and next_attempt_at <= now()"
            + " order by seq limit $1");
    private static final String CLAIM_ONE = claim("id = $1 and status = 'pending'");
    private static final String MARK_DONE = "update stripe_event as e set status = u.status, processed_at = now(),"
            + " attempts = e.attempts + 1, last_error = u.reason"
            + " from unnest($1::text[], $2::text[], $3::text[]) as u(id, status, reason) where e.id = u.id";
    private static final String MARK_FAILED = "update stripe_event set attempts = attempts + 1, last_error = $2,"
            + " status = case when attempts + 1 >= $3 then 'failed' else 'pending' end,"
            + " next_attempt_at = now() + make_interval(secs => $4)"
            + " where id = $1 and status = 'pending' returning status";

    private final Pool pool;
    private final EventApplier applier;
    private final WebhookMetrics metrics;
    private final WebhookConfig.Processor config;
    private final Logger.Level eventLogLevel;

    public EventProcessor(Pool pool, EventApplier applier, WebhookMetrics metrics, WebhookConfig config) {
        this.pool = pool;
        this.applier = applier;
        this.metrics = metrics;
        this.config = config.processor();
        this.eventLogLevel = config.logEvents() ? Logger.Level.INFO : Logger.Level.DEBUG;
    }

    /** Applies one batch; answers how many events it claimed (0 when the inbox has nothing due). */
    public Uni<Integer> processBatch() {
        List<String> claimedIds = new ArrayList<>();
        return pool.withTransaction(connection -> connection.preparedQuery(CLAIM_BATCH)
                .execute(Tuple.of(config.batchSize()))
                .map(EventProcessor::claimed)
                .invoke(claimed -> claimed.forEach(c -> claimedIds.add(c.id())))
                .flatMap(claimed -> applyClaimed(connection, claimed)))
                .onFailure().recoverWithUni(failure -> {
                    if (claimedIds.isEmpty()) {
                        LOG.warnf("Could not claim inbox events: %s", failure.getMessage());
                        return Uni.createFrom().item(0);
                    }
                    LOG.debugf(failure, "A batch of %d events failed; applying them one by one", claimedIds.size());
                    return processOneByOne(claimedIds).replaceWith(claimedIds.size());
                });
    }

    private Uni<Integer> applyClaimed(SqlConnection connection, List<ClaimedEvent> claimed) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<ParsedEvent> parsed = claimed.stream().map(applier::parse).toList();
        String[] ids = parsed.stream().map(ParsedEvent::id).toArray(String[]::new);
        String[] statuses = parsed.stream().map(p -> p.handled() ? "applied" : "ignored").toArray(String[]::new);
        // An ignored event keeps why in last_error, so operators see it next to the status.
        String[] reasons = parsed.stream().map(ParsedEvent::ignoredReason).toArray(String[]::new);
        // Only the receive times are kept past this point, not the claimed payloads: a batch is alive for
        // several round trips, and every byte it holds is copied by each young collection meanwhile.
        long[] receivedMillis = claimed.stream().mapToLong(c -> c.receivedAt().toInstant().toEpochMilli()).toArray();
        return applier.apply(connection, parsed)
                .flatMap(x -> connection.preparedQuery(MARK_DONE).execute(Tuple.of(ids, statuses, reasons)))
                .invoke(x -> recordApplied(parsed, receivedMillis))
                .invoke(x -> logOutcomes(parsed, statuses))
                .replaceWith(parsed.size());
    }

    private void logOutcomes(List<ParsedEvent> parsed, String[] statuses) {
        if (!LOG.isEnabled(eventLogLevel)) {
            return;
        }
        for (int i = 0; i < parsed.size(); i++) {
            ParsedEvent event = parsed.get(i);
            LOG.logf(eventLogLevel, "Event %s %s (object %s): %s", event.type(), event.id(), event.objectId(),
                    statuses[i]);
        }
    }

    private Uni<Void> processOneByOne(List<String> ids) {
        return Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(this::processOne)
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> processOne(String id) {
        return pool.withTransaction(connection -> connection.preparedQuery(CLAIM_ONE).execute(Tuple.of(id))
                .map(EventProcessor::claimed)
                .flatMap(claimed -> applyClaimed(connection, claimed)))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> recordFailure(id, failure));
    }

    private Uni<Void> recordFailure(String id, Throwable failure) {
        String error = describe(failure);
        return pool.preparedQuery("select attempts, type from stripe_event where id = $1").execute(Tuple.of(id))
                .flatMap(rows -> {
                    int attempts = rows.iterator().hasNext() ? rows.iterator().next().getInteger("attempts") : 0;
                    String type = rows.iterator().hasNext() ? rows.iterator().next().getString("type") : "unknown";
                    double backoff = backoff(attempts + 1).toMillis() / 1000.0;
                    return pool.preparedQuery(MARK_FAILED)
                            .execute(Tuple.of(id, error, config.maxAttempts(), backoff))
                            .invoke(updated -> {
                                boolean parked = updated.iterator().hasNext()
                                        && "failed".equals(updated.iterator().next().getString("status"));
                                metrics.failed(type, parked);
                                LogContext.forEvent(id, type, () -> {
                                    if (parked) {
                                        LOG.errorf("Event %s (%s) parked as failed after %d attempts: %s", id, type,
                                                attempts + 1, error);
                                    } else {
                                        LOG.warnf("Event %s (%s) failed attempt %d, retrying in %.0f s: %s", id,
                                                type, attempts + 1, backoff, error);
                                    }
                                });
                            });
                })
                .replaceWithVoid()
                .onFailure().invoke(e -> LogContext.forEvent(id, null,
                        () -> LOG.warnf("Could not record the failure of event %s: %s", id, e.getMessage())))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    Duration backoff(int attempt) {
        Duration delay = config.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }

    private void recordApplied(List<ParsedEvent> parsed, long[] receivedMillis) {
        long nowMillis = System.currentTimeMillis();
        for (int i = 0; i < parsed.size(); i++) {
            ParsedEvent event = parsed.get(i);
            metrics.processed(event.type(), event.handled(), nowMillis - event.created() * 1000,
                    nowMillis - receivedMillis[i]);
            if (event.ignoredReason() != null) {
                metrics.livemodeMismatch(event.type());
                LogContext.forEvent(event.id(), event.type(),
                        () -> LOG.warnf("Event %s (%s) ignored: %s", event.id(), event.type(), event.ignoredReason()));
            }
        }
    }

    private static String claim(String condition) {
        return "with claimed as materialized (select id, type, created, attempts, seq, received_at, livemode"
                + " from stripe_event where " + condition + " for update skip locked)"
                + " select c.id, c.type, c.created, convert_to(p.payload, 'UTF8') as payload, c.attempts, c.seq,"
                + " c.received_at, c.livemode from claimed c join stripe_event_payload p using (id) order by c.seq";
    }

    private static List<ClaimedEvent> claimed(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<ClaimedEvent> claimed = new ArrayList<>(rows.rowCount());
        for (Row row : rows) {
            claimed.add(new ClaimedEvent(row.getString("id"), row.getString("type"), row.getLong("created"),
                    row.getBuffer("payload").getBytes(), row.getInteger("attempts"), row.getLong("seq"),
                    row.getOffsetDateTime("received_at"), row.getBoolean("livemode")));
        }
        return claimed;
    }

    private static String describe(Throwable failure) {
        String message = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return message.length() > 2000 ? message.substring(0, 2000) : message;
    }
}
