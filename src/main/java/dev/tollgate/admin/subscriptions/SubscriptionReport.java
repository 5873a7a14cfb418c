package dev.tollgate.admin.subscriptions;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * What a "check subscription status" job shows: how many subscriptions are in which state and plan, which
 * renew soon, which are past_due since when, and which of those have run out of their grace period.
 */
public record SubscriptionReport(OffsetDateTime generatedAt, Map<String, Long> byStatus, Map<String, PlanCounts> byPlan,
        Renewals renewals, List<PastDue> pastDue, GraceExpiry graceExpiry) {

    /**
     * @param live subscriptions of the plan that are active, trialing, past_due, unpaid or paused
     * @param byStatus every subscription of the plan by Stripe status
     */
    public record PlanCounts(long live, Map<String, Long> byStatus) {
    }

    /** Active and trialing subscriptions whose period ends within {@code days} and that are not set to cancel. */
    public record Renewals(int days, long count, List<Renewal> items) {
    }

    public record Renewal(String subscriptionId, String account, String customerId, String status, String plan,
            OffsetDateTime renewsAt) {
    }

    /**
     * @param since when the renewal that failed started the period (what the grace period counts from)
     * @param oldestUnpaidInvoiceAt the creation of the oldest invoice of the subscription still open
     * @param graceEndsAt when the account loses its plan unless the payment succeeds
     */
    public record PastDue(String subscriptionId, String account, String customerId, String plan,
            OffsetDateTime since, OffsetDateTime oldestUnpaidInvoiceAt, OffsetDateTime graceEndsAt,
            boolean graceExpired) {
    }

    /**
     * A dry run of the local grace-period expiry: nothing is changed, entitlements already answer from the
     * same policy. {@code wouldLoseAccess} are the past_due accounts whose grace has run out.
     */
    public record GraceExpiry(boolean dryRun, Duration grace, long withinGrace, List<PastDue> wouldLoseAccess) {
    }
}
