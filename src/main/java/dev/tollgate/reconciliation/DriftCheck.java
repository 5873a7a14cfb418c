package dev.tollgate.reconciliation;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.common.ProblemException;
import dev.tollgate.mirror.MirrorSpecs;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeGateway;
import dev.tollgate.webhook.processing.DirectApplier;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Compares local subscriptions with Stripe's (GET /v1/subscriptions/{id}) and repairs those that
 * differ by applying Stripe's answer through {@link DirectApplier}, as if its missed event had arrived.
 *
 * <p>
 * Only subscriptions that are not over locally are checked (canceled and incomplete_expired are final
 * at Stripe, so nothing can have been missed after them): a sample picks among those at random.
 */
@ApplicationScoped
public class DriftCheck {

    private static final Logger LOG = Logger.getLogger(DriftCheck.class);
    /** Differences listed in the answer; the counts always cover all of them. */
    private static final int MAX_LISTED = 100;
    private static final String LIVE = "status not in ('canceled', 'incomplete_expired')";
    private static final String SAMPLE = "select id from stripe_subscription where " + LIVE + " order by random() limit $1";
    private static final String ALL = "select id from stripe_subscription where " + LIVE + " order by id";
    private static final String LOCAL = "select * from stripe_subscription where id = $1";
    private static final String RECORD = "insert into drift_check (started_at, sample, checked, differing, repaired,"
            + " missing, failed) values ($1, $2, $3, $4, $5, $6, $7)";

    /** One subscription that differed, and the mirrored columns that did. */
    public record Difference(String subscriptionId, List<String> fields, boolean repaired) {
    }

    /** What one check found. */
    public record Result(Integer sample, int checked, int differing, int repaired, int missing, int failed,
            List<Difference> differences) {
    }

    private enum Outcome {
        SAME,
        DIFFERENT,
        MISSING,
        FAILED
    }

    private record Checked(Outcome outcome, Difference difference) {
    }

    private final Pool pool;
    private final StripeApi stripeApi;
    private final StripeGateway stripe;
    private final DirectApplier applier;
    private final JobLocks locks;
    private final ReconciliationMetrics metrics;
    private final ReconciliationConfig.Drift config;

    public DriftCheck(Pool pool, StripeApi stripeApi, StripeGateway stripe, DirectApplier applier, JobLocks locks,
            ReconciliationMetrics metrics, ReconciliationConfig config) {
        this.pool = pool;
        this.stripeApi = stripeApi;
        this.stripe = stripe;
        this.applier = applier;
        this.locks = locks;
        this.metrics = metrics;
        this.config = config.drift();
    }

    @Scheduled(cron = "${tollgate.reconciliation.drift.cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!stripe.configured()) {
            return Uni.createFrom().voidItem();
        }
        return runIfFree(config.sample()).replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Scheduled drift check failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Checks a random sample of {@code sample} subscriptions, or all when null; empty when a check is running. */
    public Uni<Optional<Result>> runIfFree(Integer sample) {
        return locks.tryAcquire(JobLocks.Job.DRIFT).flatMap(held -> held.isEmpty()
                ? Uni.createFrom().item(Optional.<Result> empty())
                : run(sample).map(Optional::of).eventually(() -> held.get().release()));
    }

    private Uni<Result> run(Integer sample) {
        OffsetDateTime startedAt = OffsetDateTime.now();
        Uni<RowSet<Row>> ids = sample == null ? pool.query(ALL).execute()
                : pool.preparedQuery(SAMPLE).execute(Tuple.of(sample));
        return ids.onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(row -> row.getString("id"))
                .onItem().transformToUni(this::checkOne).merge(Math.max(1, config.concurrency()))
                .collect().asList()
                .map(checked -> summarize(sample, checked))
                .call(result -> pool.preparedQuery(RECORD).execute(Tuple.tuple().addOffsetDateTime(startedAt)
                        .addInteger(sample).addInteger(result.checked()).addInteger(result.differing())
                        .addInteger(result.repaired()).addInteger(result.missing()).addInteger(result.failed())))
                .invoke(result -> {
                    metrics.driftChecked(result.differing(), result.repaired());
                    LOG.infof("Drift check: %d subscriptions checked, %d differed from Stripe, %d repaired,"
                            + " %d unknown to Stripe, %d could not be read", result.checked(), result.differing(),
                            result.repaired(), result.missing(), result.failed());
                });
    }

    private Uni<Checked> checkOne(String id) {
        return stripeApi.get("drift.subscriptions.retrieve", "/v1/subscriptions/" + id)
                .flatMap(answer -> compare(id, answer))
                .onFailure().recoverWithItem(e -> {
                    if (e instanceof ProblemException p && p.problem().status() == 404) {
                        return new Checked(Outcome.MISSING, null);
                    }
                    LOG.warnf("Drift check could not check subscription %s: %s", id, e.getMessage());
                    return new Checked(Outcome.FAILED, null);
                });
    }

    private Uni<Checked> compare(String id, JsonNode answer) {
        return pool.preparedQuery(LOCAL).execute(Tuple.of(id)).flatMap(rows -> {
            if (!rows.iterator().hasNext()) {
                return Uni.createFrom().item(new Checked(Outcome.SAME, null));
            }
            List<String> fields = SubscriptionDifference.fields(answer, rows.iterator().next());
            if (fields.isEmpty()) {
                return Uni.createFrom().item(new Checked(Outcome.SAME, null));
            }
            LOG.infof("Subscription %s differs from Stripe in %s; applying Stripe's state", id, fields);
            return applier.apply(List.of(new DirectApplier.Read("customer.subscription.updated", answer,
                    MirrorSpecs.SUBSCRIPTION)))
                    .replaceWith(new Checked(Outcome.DIFFERENT, new Difference(id, fields, true)))
                    .onFailure().recoverWithItem(e -> {
                        LOG.warnf("Could not repair subscription %s: %s", id, e.getMessage());
                        return new Checked(Outcome.DIFFERENT, new Difference(id, fields, false));
                    });
        });
    }

    private static Result summarize(Integer sample, List<Checked> checked) {
        List<Difference> differences = new ArrayList<>();
        int missing = 0;
        int failed = 0;
        int repaired = 0;
        for (Checked c : checked) {
            switch (c.outcome()) {
                case DIFFERENT -> {
                    differences.add(c.difference());
                    repaired += c.difference().repaired() ? 1 : 0;
                }
                case MISSING -> missing++;
                case FAILED -> failed++;
                case SAME -> {
                    // nothing to report
                }
            }
        }
        differences.sort(java.util.Comparator.comparing(Difference::subscriptionId));
        List<Difference> listed = differences.size() > MAX_LISTED ? differences.subList(0, MAX_LISTED) : differences;
        return new Result(sample, checked.size(), differences.size(), repaired, missing, failed,
                Collections.unmodifiableList(new ArrayList<>(listed)));
    }
}
