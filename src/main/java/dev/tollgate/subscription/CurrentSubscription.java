package dev.tollgate.subscription;

import java.time.OffsetDateTime;

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
}
