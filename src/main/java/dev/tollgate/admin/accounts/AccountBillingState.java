package dev.tollgate.admin.accounts;

import java.time.OffsetDateTime;
import java.util.List;

import dev.tollgate.credits.CreditQueries;
import dev.tollgate.entitlements.Entitlements;
import dev.tollgate.licenses.LicenseQueries;
import dev.tollgate.payments.PaymentQueries;
import dev.tollgate.refunds.DisputeQueries;
import dev.tollgate.webhook.inbox.InboxQueries;

/**
 * Everything Tollgate knows about one account's billing, as an operator needs it to answer "why does this
 * customer see that?".
 *
 * @param subscription the subscription entitlements follow (null when there is none)
 * @param subscriptionHistory every subscription of the account, the one Stripe changed last first
 * @param recentEvents the newest inbox events about the account's Stripe objects
 * @param disputes the account's disputed payments, newest first, and whether each freezes its credits
 */
public record AccountBillingState(String account, KnownAccounts.CustomerView customer, Subscription subscription,
        List<Subscription> subscriptionHistory, PaymentQueries.Page<PaymentQueries.Invoice> invoices,
        PaymentQueries.Page<PaymentQueries.Payment> payments, Credits credits, Entitlements entitlements,
        List<LicenseQueries.License> licenses, List<InboxQueries.Summary> recentEvents,
        List<DisputeQueries.Dispute> disputes) {

    /**
     * One subscription with the plan its price stands for.
     *
     * @param plan the configured plan of the price, null when the price is not in the catalog
     * @param grantsPlan whether the access policy (past_due grace, access until period end) grants the plan now
     */
    public record Subscription(String id, String customerId, String status, String plan, String interval,
            String priceId, Long quantity, OffsetDateTime currentPeriodStart, OffsetDateTime currentPeriodEnd,
            OffsetDateTime trialEnd, boolean cancelAtPeriodEnd, OffsetDateTime cancelAt, OffsetDateTime endedAt,
            boolean grantsPlan) {
    }

    /** The balance, the newest ledger entries with actor and source, and how many entries there are in all. */
    public record Credits(long balance, List<CreditQueries.AuditedEntry> recent, long entries) {
    }
}
