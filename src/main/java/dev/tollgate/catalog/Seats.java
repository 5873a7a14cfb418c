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

    /**
     * The quantity a plan change must send so the new plan is not billed for the old plan's seats, or null when
     * the current quantity fits: 1 for a plan not sold per seat, min-seats for a per-seat plan when fewer. More
     * seats than the new plan's max-seats is a 409 problem (the seats must be reduced first).
     */
    public static Long onChange(String planId, CatalogConfig.Plan plan, Long current) {
        long quantity = current == null ? 1 : current;
        if (!plan.perSeat()) {
            return quantity == 1 ? null : 1L;
        }
        if (plan.maxSeats().isPresent() && quantity > plan.maxSeats().get()) {
            throw ProblemException.conflict("too-many-seats", "The subscription has " + quantity
                    + " seats; plan \"" + planId + "\" is sold with at most " + plan.maxSeats().get()
                    + ": reduce the seats first (POST /v1/billing/subscription/seats).");
        }
        return quantity < plan.minSeats() ? Long.valueOf(plan.minSeats()) : null;
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
