package dev.tollgate.usage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.common.ProblemException;
import dev.tollgate.subscription.CurrentSubscription;
import dev.tollgate.usage.UsageRecords.NewRecord;
import dev.tollgate.usage.UsageRecords.Written;
import io.smallrye.mutiny.Uni;

/** Records usage once per key (durably, before answering) and sums it per billing period. */
@ApplicationScoped
class UsageService {

    /** What the caller asked to record; {@code timestamp} in Unix seconds, null: now. */
    record Usage(String meter, long value, String key, Long timestamp) {
    }

    /** A meter's usage in the current period, from Tollgate's own records. */
    record Period(String planId, OffsetDateTime start, OffsetDateTime end, List<UsageRecords.MeterTotal> meters) {
    }

    private final AccountPlans plans;
    private final UsageWriter writer;
    private final UsageRecords records;
    private final UsageLoop loop;

    UsageService(AccountPlans plans, UsageWriter writer, UsageRecords records, UsageLoop loop) {
        this.plans = plans;
        this.writer = writer;
        this.records = records;
        this.loop = loop;
    }

    /** The stored record; a repeat of the key with the same body answers it again, another body is a 409. */
    Uni<Written> record(String accountId, Usage usage) {
        return plans.of(accountId).flatMap(plan -> {
            CatalogConfig.Meter meter = plan.meter(usage.meter()).orElseThrow(() -> unknownMeter(plan, usage.meter()));
            CurrentSubscription subscription = plan.subscription().orElseThrow(() -> ProblemException.badRequest(
                    "no-subscription", "The account has no subscription to bill usage to."));
            OffsetDateTime at = usage.timestamp() == null ? OffsetDateTime.now(ZoneOffset.UTC)
                    : OffsetDateTime.ofInstant(Instant.ofEpochSecond(usage.timestamp()), ZoneOffset.UTC);
            return writer.write(new NewRecord(accountId, UsageRecords.API, usage.key(), usage.meter(),
                    meter.eventName(), subscription.customerId(), usage.value(), at));
        }).invoke(written -> {
            if (!written.created()) {
                checkSameBody(written.stored(), usage);
            } else {
                loop.recorded();
            }
        });
    }

    private static void checkSameBody(UsageRecords.Stored stored, Usage usage) {
        boolean same = stored.meter().equals(usage.meter()) && stored.value() == usage.value()
                && (usage.timestamp() == null || stored.occurredAt().toEpochSecond() == usage.timestamp());
        if (!same) {
            throw ProblemException.conflict("idempotency-key-reused", "idempotency_key " + usage.key()
                    + " was used for other usage (" + stored.meter() + ", value " + stored.value() + ", timestamp "
                    + stored.occurredAt().toEpochSecond() + "); a key stands for one record.");
        }
    }

    private static ProblemException unknownMeter(AccountPlans.AccountPlan plan, String meter) {
        TreeSet<String> known = new TreeSet<>(plan.plan().map(CatalogConfig.Plan::meters).orElse(Map.of()).keySet());
        return ProblemException.badRequest("unknown-meter", "The account's plan " + plan.planId()
                + (known.isEmpty() ? " bills no usage" : " bills usage of " + String.join(", ", known))
                + "; meter " + meter + " is not one of them.");
    }

    /** The account's usage per meter (every meter of its plan, used or not) in the subscription's current period. */
    Uni<Period> currentPeriod(String accountId, String meter) {
        return plans.of(accountId).flatMap(plan -> {
            CurrentSubscription subscription = plan.subscription()
                    .filter(s -> s.currentPeriodStart() != null && s.currentPeriodEnd() != null)
                    .orElseThrow(() -> ProblemException.notFound(
                            "The account has no subscription, so no billing period to report usage for."));
            if (meter != null && plan.meter(meter).isEmpty()) {
                throw unknownMeter(plan, meter);
            }
            return records.totals(accountId, meter, subscription.currentPeriodStart(), subscription.currentPeriodEnd())
                    .map(totals -> {
                        Map<String, UsageRecords.MeterTotal> byMeter = new java.util.TreeMap<>();
                        plan.plan().map(CatalogConfig.Plan::meters).orElse(Map.of()).keySet().stream()
                                .filter(m -> meter == null || m.equals(meter))
                                .forEach(m -> byMeter.put(m, new UsageRecords.MeterTotal(m, 0, 0)));
                        totals.forEach(t -> byMeter.put(t.meter(), t));
                        return new Period(plan.planId(), subscription.currentPeriodStart(),
                                subscription.currentPeriodEnd(), new ArrayList<>(byMeter.values()));
                    });
        });
    }
}
