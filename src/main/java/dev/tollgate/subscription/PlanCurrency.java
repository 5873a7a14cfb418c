package dev.tollgate.subscription;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.account.AccountCurrency;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.Currencies;
import dev.tollgate.common.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * A subscription keeps its currency through changes: the new plan interval must be sold in the account's currency
 * (Stripe would refuse the change otherwise, with a message naming price ids instead of the plan).
 */
@ApplicationScoped
class PlanCurrency {

    private final AccountCurrency accounts;
    private final Currencies currencies;

    PlanCurrency(AccountCurrency accounts, Currencies currencies) {
        this.accounts = accounts;
        this.currencies = currencies;
    }

    /** 409 currency-not-offered when the account is bound to a currency the plan interval is not sold in. */
    Uni<Void> check(String accountId, String planId, Catalog.Interval interval) {
        var amounts = currencies.planAmounts(planId, interval);
        return accounts.of(accountId).invoke(bound -> bound.filter(b -> !amounts.containsKey(b.currency()))
                .ifPresent(b -> {
                    throw ProblemException.conflict("currency-not-offered", "The account pays in " + b.currency()
                            + " and plan \"" + planId + "\" " + interval.name().toLowerCase(java.util.Locale.ROOT)
                            + " is not sold in " + b.currency() + " (only in " + String.join(", ", amounts.keySet())
                            + ").");
                })).replaceWithVoid();
    }
}
