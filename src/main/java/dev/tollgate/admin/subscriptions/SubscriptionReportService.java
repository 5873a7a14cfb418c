package dev.tollgate.admin.subscriptions;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.entitlements.AccessPolicy;
import dev.tollgate.entitlements.EntitlementsConfig;
import dev.tollgate.subscription.CurrentSubscription;
import dev.tollgate.subscription.SubscriptionQueries;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The subscription report, from the mirrors; never a Stripe call and never a write. Grace is judged by the
 * same {@link AccessPolicy} entitlements use, so "would lose access" here is exactly what entitlements answer.
 */
@ApplicationScoped
public class SubscriptionReportService {

    /** Plans of price ids that are not in the catalog are counted under this name. */
    static final String UNKNOWN_PLAN = "unknown";
    private static final Set<String> LIVE = Set.of("active", "trialing", "past_due", "unpaid", "paused");
    private static final String ACCOUNT_OF_CUSTOMER = "coalesce((select c.account_id from stripe_customer c"
            + " where c.id = s.customer_id), (select a.id from account a where a.stripe_customer_id = s.customer_id))";
    private static final String COUNTS = "select status, price_id, count(*) as n from stripe_subscription s"
            + " group by status, price_id";
    private static final String RENEWAL_WHERE = " from stripe_subscription s where s.status in ('active', 'trialing')"
            + " and not s.cancel_at_period_end and s.current_period_end >= $1 and s.current_period_end < $2";
    private static final String RENEWALS = "select s.id, s.customer_id, s.status, s.price_id, s.current_period_end, "
            + ACCOUNT_OF_CUSTOMER + " as account_id" + RENEWAL_WHERE + " order by s.current_period_end, s.id limit $3";
    private static final String RENEWAL_COUNT = "select count(*)" + RENEWAL_WHERE;
    // The columns SubscriptionQueries.map reads, plus the account and the oldest open invoice.
    private static final String PAST_DUE = "select s.id, s.customer_id, s.status, s.price_id, s.quantity,"
            + " s.current_period_start, s.current_period_end, s.trial_end, s.cancel_at_period_end, s.cancel_at,"
            + " s.ended_at, " + ACCOUNT_OF_CUSTOMER + " as account_id,"
            + " (select min(i.created_at) from stripe_invoice i where i.subscription_id = s.id and i.status = 'open')"
            + " as oldest_open_invoice from stripe_subscription s where s.status = 'past_due'"
            + " order by s.current_period_start nulls first, s.id limit $1";

    private final Pool pool;
    private final Catalog catalog;
    private final AccessPolicy policy;
    private final EntitlementsConfig entitlements;

    public SubscriptionReportService(Pool pool, Catalog catalog, AccessPolicy policy,
            EntitlementsConfig entitlements) {
        this.pool = pool;
        this.catalog = catalog;
        this.policy = policy;
        this.entitlements = entitlements;
    }

    public Uni<SubscriptionReport> report(int renewalDays, int limit) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime until = now.plusDays(renewalDays);
        Uni<List<Row>> counts = rows(COUNTS, Tuple.tuple());
        Uni<List<Row>> renewals = rows(RENEWALS, Tuple.of(now, until, limit));
        Uni<Long> renewalCount = pool.preparedQuery(RENEWAL_COUNT).execute(Tuple.of(now, until))
                .map(r -> r.iterator().next().getLong(0));
        Uni<List<Row>> pastDue = rows(PAST_DUE, Tuple.of(limit));
        return Uni.combine().all().unis(counts, renewals, renewalCount, pastDue).asTuple().map(t -> {
            List<SubscriptionReport.PastDue> due = t.getItem4().stream().map(row -> pastDue(row, now)).toList();
            List<SubscriptionReport.PastDue> expired = due.stream().filter(SubscriptionReport.PastDue::graceExpired)
                    .toList();
            return new SubscriptionReport(now, byStatus(t.getItem1()), byPlan(t.getItem1()),
                    new SubscriptionReport.Renewals(renewalDays, t.getItem3(),
                            t.getItem2().stream().map(this::renewal).toList()),
                    due, new SubscriptionReport.GraceExpiry(true, entitlements.pastDueGrace(),
                            due.size() - expired.size(), expired));
        });
    }

    private Uni<List<Row>> rows(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            List<Row> result = new ArrayList<>();
            rows.forEach(result::add);
            return result;
        });
    }

    private static Map<String, Long> byStatus(List<Row> counts) {
        Map<String, Long> result = new TreeMap<>();
        counts.forEach(row -> result.merge(row.getString("status"), row.getLong("n"), Long::sum));
        return result;
    }

    private Map<String, SubscriptionReport.PlanCounts> byPlan(List<Row> counts) {
        Map<String, Map<String, Long>> statuses = new TreeMap<>();
        counts.forEach(row -> statuses.computeIfAbsent(plan(row.getString("price_id")), p -> new TreeMap<>())
                .merge(row.getString("status"), row.getLong("n"), Long::sum));
        Map<String, SubscriptionReport.PlanCounts> result = new TreeMap<>();
        statuses.forEach((plan, byStatus) -> result.put(plan, new SubscriptionReport.PlanCounts(
                byStatus.entrySet().stream().filter(e -> LIVE.contains(e.getKey())).mapToLong(Map.Entry::getValue)
                        .sum(),
                byStatus)));
        return result;
    }

    private SubscriptionReport.Renewal renewal(Row row) {
        return new SubscriptionReport.Renewal(row.getString("id"), row.getString("account_id"),
                row.getString("customer_id"), row.getString("status"), plan(row.getString("price_id")),
                row.getOffsetDateTime("current_period_end"));
    }

    private SubscriptionReport.PastDue pastDue(Row row, OffsetDateTime now) {
        CurrentSubscription subscription = SubscriptionQueries.map(row);
        OffsetDateTime since = subscription.currentPeriodStart();
        return new SubscriptionReport.PastDue(subscription.id(), row.getString("account_id"),
                subscription.customerId(), plan(subscription.priceId()), since,
                row.getOffsetDateTime("oldest_open_invoice"),
                since == null ? null : since.plus(entitlements.pastDueGrace()),
                !policy.grantsPlan(subscription, now));
    }

    private String plan(String priceId) {
        return catalog.planForPrice(priceId).map(Catalog.PlanPrice::planId).orElse(UNKNOWN_PLAN);
    }
}
