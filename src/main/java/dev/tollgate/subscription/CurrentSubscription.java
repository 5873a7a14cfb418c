package dev.tollgate.subscription;

import java.time.OffsetDateTime;
import java.util.Set;

/** The subscription an account is on, as the mirror holds it; absent fields are null. */
public record CurrentSubscription(
        String id,
        String customerId,
        String status,
        String priceId,
        Long quantity,
        OffsetDateTime currentPeriodStart,
        OffsetDateTime currentPeriodEnd,
        OffsetDateTime trialEnd,
        boolean cancelAtPeriodEnd,
        OffsetDateTime cancelAt,
        OffsetDateTime endedAt) {

    private static final Set<String> LIVE = Set.of("active", "trialing", "past_due", "unpaid", "paused");

    /** Whether the account has this subscription to change or cancel (rather than one to buy). */
    public boolean live() {
        return LIVE.contains(status);
    }
}
