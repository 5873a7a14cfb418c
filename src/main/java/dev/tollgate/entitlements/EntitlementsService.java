package dev.tollgate.entitlements;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.catalog.Seats;
import dev.tollgate.credits.CreditQueries;
import dev.tollgate.subscription.CurrentSubscription;
import dev.tollgate.subscription.SubscriptionQueries;
import io.smallrye.mutiny.Uni;

/** Entitlements from the mirrored subscription, the catalog and the ledger; never a Stripe call. */
@ApplicationScoped
public class EntitlementsService {

    private final SubscriptionQueries subscriptions;
    private final CreditQueries credits;
    private final Catalog catalog;
    private final AccessPolicy policy;
    private final BillingStateCache cache;

    public EntitlementsService(SubscriptionQueries subscriptions, CreditQueries credits, Catalog catalog,
            AccessPolicy policy, BillingStateCache cache) {
        this.subscriptions = subscriptions;
        this.credits = credits;
        this.catalog = catalog;
        this.policy = policy;
        this.cache = cache;
    }

    public Uni<Entitlements> forAccount(String accountId) {
        return cache.get(accountId, () -> Uni.combine().all()
                .unis(subscriptions.current(accountId), credits.balance(accountId)).asTuple()
                .map(t -> new BillingStateCache.State(t.getItem1(), t.getItem2())))
                .map(state -> entitlements(accountId, state.subscription(), state.balance()));
    }

    private Entitlements entitlements(String accountId, Optional<CurrentSubscription> subscription, long balance) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String defaultPlan = catalog.config().defaultPlan();
        String planId = subscription
                .filter(s -> policy.grantsPlan(s, now))
                .flatMap(s -> catalog.planForPrice(s.priceId()))
                .map(Catalog.PlanPrice::planId)
                .orElse(defaultPlan);
        Optional<CatalogConfig.Plan> plan = catalog.plan(planId);
        // A per-seat plan's seat limit is what the subscription pays for (the default plan has no subscription).
        Long seats = planId.equals(defaultPlan) || plan.isEmpty() || !plan.get().perSeat() ? null
                : subscription.map(CurrentSubscription::quantity).orElse(null);
        return new Entitlements(accountId, planId, plan.map(CatalogConfig.Plan::name).orElse(planId),
                subscription.map(CurrentSubscription::status).orElse("none"),
                new TreeMap<>(plan.map(CatalogConfig.Plan::features).orElse(java.util.Map.of())),
                new TreeMap<>(plan.map(p -> Seats.limits(p, seats)).orElse(java.util.Map.of())),
                balance,
                planId.equals(defaultPlan) ? null : subscription.map(CurrentSubscription::currentPeriodEnd).orElse(null),
                seats);
    }
}
