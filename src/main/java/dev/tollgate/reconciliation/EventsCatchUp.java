package dev.tollgate.reconciliation;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.common.Json;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.stripe.StripeGateway;
import dev.tollgate.webhook.inbox.EventEnvelope;
import dev.tollgate.webhook.inbox.EventIntake;
import dev.tollgate.webhook.inbox.MalformedEventException;
import dev.tollgate.webhook.processing.HandledEventTypes;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Recovers events whose webhook never arrived: lists Stripe's Events API (the handled types, created
 * since the cursor minus an overlap) and stores every event in the same inbox webhooks go to, where
 * its id deduplicates it. The processor then applies them like any delivery.
 *
 * <p>
 * The cursor moves only after a complete run, once everything it listed is durable: a run that fails
 * halfway leaves it where it was, and the next run lists the same window again. It moves to the newest
 * event seen or to the time the run started, whichever is later: a complete listing at that time saw
 * every event created before it, so a quiet account's cursor stays fresh and its age measures how long
 * catch-up has not succeeded, which is what an alert must know before Stripe's 30 days run out.
 */
@ApplicationScoped
public class EventsCatchUp {

    /** Stripe's Events API takes at most 20 values of types[] per request. */
    static final int MAX_TYPES_PER_REQUEST = 20;
    private static final Logger LOG = Logger.getLogger(EventsCatchUp.class);

    /** What one run did. */
    public record Result(int pages, int eventsSeen, int eventsRecovered, OffsetDateTime since, OffsetDateTime cursor) {
    }

    private final StripeLists lists;
    private final StripeGateway stripe;
    private final EventIntake intake;
    private final CatchUpCursor cursor;
    private final JobLocks locks;
    private final ReconciliationMetrics metrics;
    private final ReconciliationConfig.CatchUp config;
    private final ObjectMapper mapper;

    public EventsCatchUp(StripeLists lists, StripeGateway stripe, EventIntake intake, CatchUpCursor cursor,
            JobLocks locks, ReconciliationMetrics metrics, ReconciliationConfig config, ObjectMapper mapper) {
        this.lists = lists;
        this.stripe = stripe;
        this.intake = intake;
        this.cursor = cursor;
        this.locks = locks;
        this.metrics = metrics;
        this.config = config.catchUp();
        this.mapper = mapper;
    }

    @Scheduled(every = "${tollgate.reconciliation.catch-up.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!stripe.configured()) {
            return Uni.createFrom().voidItem();
        }
        return runIfFree().replaceWithVoid().onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Runs a catch-up now; empty when another run (in any replica) is in progress. */
    public Uni<Optional<Result>> runIfFree() {
        return locks.tryAcquire(JobLocks.Job.CATCH_UP).flatMap(held -> held.isEmpty()
                ? Uni.createFrom().item(Optional.<Result> empty())
                : run().map(Optional::of).eventually(() -> held.get().release()));
    }

    private Uni<Result> run() {
        long startedAt = System.currentTimeMillis() / 1000;
        return cursor.load().flatMap(position -> {
            position.ifPresent(p -> warnIfOld(p, startedAt));
            long since = position.map(p -> p.at() - config.overlap().toSeconds())
                    .orElse(startedAt - config.initialLookback().toSeconds());
            Tally tally = new Tally();
            return Multi.createFrom().iterable(typeChunks())
                    .onItem().transformToUniAndConcatenate(types -> listAndStore(types, since, tally))
                    .collect().last()
                    .flatMap(x -> cursor.advance(Math.max(startedAt, tally.newestCreated), tally.newestId,
                            tally.newestId == null ? null : tally.newestCreated))
                    .map(advanced -> {
                        metrics.cursor(advanced.at());
                        metrics.catchUpSucceeded(tally.recovered.get());
                        LOG.infof("Catch-up listed %d events in %d pages since %s; %d were new to the inbox",
                                tally.seen.get(), tally.pages.get(), Json.epoch(since), tally.recovered.get());
                        return new Result(tally.pages.get(), tally.seen.get(), tally.recovered.get(), Json.epoch(since),
                                Json.epoch(advanced.at()));
                    });
        }).onFailure().invoke(e -> {
            metrics.catchUpFailed();
            LOG.warnf("Catch-up from the Events API failed; the cursor stays and the next run repeats the window: %s",
                    e.getMessage());
        });
    }

    private Uni<Void> listAndStore(List<String> types, long since, Tally tally) {
        return lists.pages("events.list", "/v1/events", null, after -> query(types, since, after))
                .onItem().transformToUniAndConcatenate(page -> {
                    tally.pages.incrementAndGet();
                    return store(page.data(), tally);
                })
                .collect().last().replaceWithVoid();
    }

    private StripeForm query(List<String> types, long since, String startingAfter) {
        StripeForm form = new StripeForm().add("limit", config.pageSize()).add("created[gte]", since);
        types.forEach(type -> form.add("types[]", type));
        return form.add("starting_after", startingAfter);
    }

    private Uni<Void> store(List<JsonNode> events, Tally tally) {
        List<EventEnvelope> envelopes = new ArrayList<>(events.size());
        for (JsonNode event : events) {
            tally.seen(event);
            try {
                envelopes.add(intake.parse(mapper.writeValueAsBytes(event)));
            } catch (MalformedEventException | JsonProcessingException e) {
                // Cannot happen with Stripe's own answers; skipping keeps one odd event from pinning the cursor.
                LOG.warnf("Skipped an event of the Events API that is not a readable event (id %s): %s",
                        event.path("id").asText("?"), e.getMessage());
            }
        }
        if (envelopes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(envelopes)
                .onItem().transformToUniAndMerge(envelope -> intake.store(envelope, EventIntake.Source.EVENTS_API))
                .collect().asList()
                .invoke(stored -> tally.recovered.addAndGet((int) stored.stream().filter(Boolean::booleanValue).count()))
                .replaceWithVoid();
    }

    private void warnIfOld(CatchUpCursor.Position position, long now) {
        Duration age = Duration.ofSeconds(now - position.at());
        if (age.compareTo(config.cursorWarningAge()) > 0) {
            LOG.warnf("The catch-up cursor is %d hours old (warning at %s): Stripe lists events for 30 days only,"
                    + " so events missed longer ago can no longer be recovered; check why catch-up does not succeed",
                    age.toHours(), config.cursorWarningAge());
        }
    }

    static List<List<String>> typeChunks() {
        List<List<String>> chunks = new ArrayList<>();
        List<String> all = HandledEventTypes.ALL;
        for (int from = 0; from < all.size(); from += MAX_TYPES_PER_REQUEST) {
            chunks.add(all.subList(from, Math.min(all.size(), from + MAX_TYPES_PER_REQUEST)));
        }
        return chunks;
    }

    /** Counts of one run; pages of one run are handled one after another. */
    private static final class Tally {
        final AtomicInteger pages = new AtomicInteger();
        final AtomicInteger seen = new AtomicInteger();
        final AtomicInteger recovered = new AtomicInteger();
        volatile long newestCreated;
        volatile String newestId;

        void seen(JsonNode event) {
            seen.incrementAndGet();
            long created = event.path("created").asLong(0);
            if (created > newestCreated) {
                newestCreated = created;
                newestId = event.path("id").asText(null);
            }
        }
    }
}
