package dev.tollgate.admin.accounts;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.common.ProblemException;
import dev.tollgate.credits.CreditQueries;
import dev.tollgate.entitlements.AccessPolicy;
import dev.tollgate.entitlements.EntitlementsService;
import dev.tollgate.licenses.LicenseQueries;
import dev.tollgate.payments.PaymentQueries;
import dev.tollgate.refunds.DisputeQueries;
import dev.tollgate.subscription.CurrentSubscription;
import dev.tollgate.subscription.SubscriptionQueries;
import dev.tollgate.webhook.inbox.InboxQueries;
import io.smallrye.mutiny.Uni;

/** Assembles an account's billing state from the queries the billing API itself answers with. */
@ApplicationScoped
public class AccountStateService {

    private final KnownAccounts accounts;
    private final SubscriptionQueries subscriptions;
    private final PaymentQueries payments;
    private final CreditQueries credits;
    private final EntitlementsService entitlements;
    private final LicenseQueries licenses;
    private final InboxQueries inbox;
    private final Catalog catalog;
    private final AccessPolicy policy;
    private final DisputeQueries disputes;

    public AccountStateService(KnownAccounts accounts, SubscriptionQueries subscriptions, PaymentQueries payments,
            CreditQueries credits, EntitlementsService entitlements, LicenseQueries licenses, InboxQueries inbox,
            Catalog catalog, AccessPolicy policy, DisputeQueries disputes) {
        this.disputes = disputes;
        this.accounts = accounts;
        this.subscriptions = subscriptions;
        this.payments = payments;
        this.credits = credits;
        this.entitlements = entitlements;
        this.licenses = licenses;
        this.inbox = inbox;
        this.catalog = catalog;
        this.policy = policy;
    }

    /** The account's state with up to {@code limit} invoices, payments, ledger entries and events; 404 when unknown. */
    public Uni<AccountBillingState> state(String accountId, int limit) {
        return requireKnown(accountId).flatMap(x -> Uni.combine().all().unis(
                accounts.customer(accountId),
                subscriptions(accountId),
                payments.invoices(accountId, limit, 0),
                payments.payments(accountId, limit, 0),
                credits(accountId, limit),
                entitlements.forAccount(accountId),
                licenses.ofAccount(accountId),
                inbox.touchingAccount(accountId, limit),
                disputes.ofAccount(accountId, limit)).asTuple()
                .map(t -> new AccountBillingState(accountId, t.getItem1(), t.getItem2().current(),
                        t.getItem2().history(), t.getItem3(), t.getItem4(), t.getItem5(), t.getItem6(), t.getItem7(),
                        t.getItem8(), t.getItem9())));
    }

    /** Fails with a 404 problem when nothing refers to the account. */
    public Uni<Void> requireKnown(String accountId) {
        return accounts.exists(accountId).invoke(known -> {
            if (!known) {
                throw ProblemException.notFound("No account " + accountId + " is known to Tollgate.");
            }
        }).replaceWithVoid();
    }

    private record Subscriptions(AccountBillingState.Subscription current,
            List<AccountBillingState.Subscription> history) {
    }

    private Uni<Subscriptions> subscriptions(String accountId) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Uni.combine().all().unis(subscriptions.current(accountId), subscriptions.history(accountId)).asTuple()
                .map(t -> new Subscriptions(t.getItem1().map(s -> view(s, now)).orElse(null),
                        t.getItem2().stream().map(s -> view(s, now)).toList()));
    }

    private Uni<AccountBillingState.Credits> credits(String accountId, int limit) {
        return Uni.combine().all().unis(credits.balance(accountId), credits.recentAudited(accountId, limit),
                credits.count(accountId)).asTuple()
                .map(t -> new AccountBillingState.Credits(t.getItem1(), t.getItem2(), t.getItem3()));
    }

    private AccountBillingState.Subscription view(CurrentSubscription s, OffsetDateTime now) {
        Optional<Catalog.PlanPrice> price = catalog.planForPrice(s.priceId());
        return new AccountBillingState.Subscription(s.id(), s.customerId(), s.status(),
                price.map(Catalog.PlanPrice::planId).orElse(null),
                price.map(p -> p.interval().name().toLowerCase(Locale.ROOT)).orElse(null), s.priceId(), s.quantity(),
                s.currentPeriodStart(), s.currentPeriodEnd(), s.trialEnd(), s.cancelAtPeriodEnd(), s.cancelAt(),
                s.endedAt(), price.isPresent() && policy.grantsPlan(s, now));
    }
}
