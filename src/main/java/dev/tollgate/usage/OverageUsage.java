package dev.tollgate.usage;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.credits.OverageBilling;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Credits plus overage, the usage side: a plan's {@code overage.<feature>=<meter>} names the meter a
 * consumption's uncovered part is recorded on, as a usage record keyed by the consumption's ledger key
 * (source overage), written in the consumption's transaction and delivered like any other usage.
 */
@ApplicationScoped
class OverageUsage implements OverageBilling {

    private final AccountPlans plans;
    private final UsageRecords records;

    OverageUsage(AccountPlans plans, UsageRecords records) {
        this.plans = plans;
        this.records = records;
    }

    @Override
    public Uni<Optional<Target>> target(String accountId, String feature) {
        return plans.of(accountId).map(plan -> {
            String meterId = plan.plan().map(p -> p.overage().get(feature)).orElse(null);
            if (meterId == null || plan.subscription().isEmpty()) {
                return Optional.empty();
            }
            return plan.meter(meterId).map(meter -> new Target(meterId, meter.eventName(),
                    plan.subscription().get().customerId()));
        });
    }

    @Override
    public Uni<Void> record(SqlClient tx, String accountId, List<Usage> usages) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return records.insert(tx, usages.stream().map(u -> new UsageRecords.NewRecord(accountId, UsageRecords.OVERAGE,
                u.sourceKey(), u.target().meter(), u.target().eventName(), u.target().customerId(), u.value(), now))
                .toList()).invoke(written -> {
                    if (written.stream().anyMatch(w -> !w.created())) {
                        // Another instance recorded one of these keys since the batch read them: fail the batch,
                        // so each consumption goes again alone and answers the stored outcome.
                        throw new IllegalStateException("overage key recorded concurrently");
                    }
                }).replaceWithVoid();
    }

    @Override
    public Uni<Map<String, Long>> recorded(SqlClient tx, String accountId, String[] sourceKeys) {
        return records.overage(tx, accountId, sourceKeys);
    }
}
