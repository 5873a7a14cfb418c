package dev.tollgate.catalog;

import java.util.Map;

import dev.tollgate.common.ProblemException;

/**
 * Seat counts of per-seat plans: the bounds a request must keep, and the seats an account has. For a per-seat
 * plan the subscription's quantity is the seat count (and the {@code seats} limit a product checks); any other
 * plan has the seats its {@code limits.seats} says, if any.
 */
public final class Seats {

    /** The limit name products check: GET /v1/billing/entitlements/seats. */
    public static final String LIMIT = "seats";

    private Seats() {
    }

    /**
     * The seats a request asks for on this plan: the plan's min-seats when it names none; a 400 problem when
     * the count is outside min-seats..max-seats or the plan is not sold per seat.
     */
    public static int requested(String planId, CatalogConfig.Plan plan, Integer seats) {
        if (!plan.perSeat()) {
            if (seats == null) {
                return 1;
            }
            throw ProblemException.badRequest("plan-not-per-seat",
                    "Plan \"" + planId + "\" is not sold per seat: leave seats out.");
        }
        if (seats == null) {
            return plan.minSeats();
        }
        int max = plan.maxSeats().orElse(Integer.MAX_VALUE);
        if (seats < plan.minSeats() || seats > max) {
            throw ProblemException.badRequest("invalid-seats", "seats must be from " + plan.minSeats()
                    + (plan.maxSeats().isPresent() ? " to " + max : " upwards") + " for plan \"" + planId + "\".");
        }
        return seats;
    }

    /** The seats an account on this plan has: the subscription's quantity for a per-seat plan, else limits.seats. */
    public static Long of(CatalogConfig.Plan plan, Long quantity) {
        return plan.perSeat() ? quantity : plan.limits().get(LIMIT);
    }

    /** The plan's limits with the seat limit a per-seat subscription bought in place of the configured one. */
    public static Map<String, Long> limits(CatalogConfig.Plan plan, Long quantity) {
        if (!plan.perSeat() || quantity == null) {
            return plan.limits();
        }
        Map<String, Long> limits = new java.util.TreeMap<>(plan.limits());
        limits.put(LIMIT, quantity);
        return limits;
    }
}
