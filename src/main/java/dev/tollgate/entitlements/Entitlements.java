package dev.tollgate.entitlements;

import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an account may do right now.
 *
 * @param plan the plan whose features and limits apply (the default plan when the subscription does not
 *        grant one)
 * @param subscriptionStatus Stripe's status of the account's subscription, or "none"
 * @param accessUntil when the current grant ends if nothing changes (period end), or null
 * @param seats for a per-seat plan, the seats the subscription pays for (also its {@code seats} limit); absent
 *        for other plans
 */
public record Entitlements(String account, String plan, String planName, String subscriptionStatus,
        Map<String, Boolean> features, Map<String, Long> limits, long credits, OffsetDateTime accessUntil,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long seats) {
}
