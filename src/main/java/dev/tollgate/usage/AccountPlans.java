package dev.tollgate.usage;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.credits.CreditQueries;
import dev.tollgate.entitlements.AccessPolicy;
import dev.tollgate.entitlements.BillingStateCache;
import dev.tollgate.subscription.CurrentSubscription;
import dev.tollgate.subscription.SubscriptionQueries;
import io.smallrye.mutiny.Uni;

/**
 * The plan an account is on and the subscription that sells it, as entitlements see them (same cache, same
 * access rule), so usage is accepted for exactly the meters of the plan the product is told about.
 */
@ApplicationScoped
class AccountPlans {

    /** {@code subscription}: the mirrored subscription granting the plan; empty on the default plan. */
    record AccountPlan(String planId, Optional<CatalogConfig.Plan> plan, Optional<CurrentSubscription> subscription) {

        Optional<CatalogConfig.Meter> meter(String meterId) {
            return plan.map(p -> p.meters().get(meterId));
        }
    }

    private final BillingStateCache cache;
    private final SubscriptionQueries subscriptions;
    private final CreditQueries credits;
    private final AccessPolicy policy;
    private final Catalog catalog;

    AccountPlans(BillingStateCache cache, SubscriptionQueries subscriptions, CreditQueries credits,
            AccessPolicy policy, Catalog catalog) {
        this.cache = cache;
        this.subscriptions = subscriptions;
        this.credits = credits;
        this.policy = policy;
        this.catalog = catalog;
    }

    Uni<AccountPlan> of(String accountId) {
        return cache.get(accountId, () -> Uni.combine().all()
                .unis(subscriptions.current(accountId), credits.balance(accountId)).asTuple()
                .map(t -> new BillingStateCache.State(t.getItem1(), t.getItem2())))
                .map(state -> plan(state.subscription()));
    }

    private AccountPlan plan(Optional<CurrentSubscription> current) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Optional<CurrentSubscription> granting = current.filter(s -> policy.grantsPlan(s, now))
                .filter(s -> catalog.planForPrice(s.priceId()).isPresent());
        String planId = granting.flatMap(s -> catalog.planForPrice(s.priceId())).map(Catalog.PlanPrice::planId)
                .orElse(catalog.config().defaultPlan());
        return new AccountPlan(planId, catalog.plan(planId), granting);
    }
}
