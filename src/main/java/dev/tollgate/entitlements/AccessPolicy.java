package dev.tollgate.entitlements;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.subscription.CurrentSubscription;

/**
 * Whether a subscription still grants its plan right now. Active and trialing do; past_due does for a
 * grace period after the renewal that failed; a subscription canceled at period end keeps access
 * until that end; everything else (unpaid, paused, incomplete, expired, canceled) falls back to the
 * default plan.
 */
@ApplicationScoped
public class AccessPolicy {

    private final EntitlementsConfig config;

    public AccessPolicy(EntitlementsConfig config) {
        this.config = config;
    }

    public boolean grantsPlan(CurrentSubscription subscription, OffsetDateTime now) {
        return switch (subscription.status()) {
            case "active", "trialing" -> true;
            case "past_due" -> subscription.currentPeriodStart() != null
                    && now.isBefore(subscription.currentPeriodStart().plus(config.pastDueGrace()));
            case "canceled" -> subscription.currentPeriodEnd() != null && subscription.endedAt() == null
                    && now.isBefore(subscription.currentPeriodEnd());
            default -> false;
        };
    }
}
