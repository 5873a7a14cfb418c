package dev.tollgate.subscription;

import java.util.Set;

import dev.tollgate.common.ProblemException;

/** Stripe's proration_behavior and proration_date as a request gives them, checked before anything is sent. */
final class Proration {

    private static final Set<String> BEHAVIOURS = Set.of("create_prorations", "none", "always_invoice");
    /** A preview older than this is stale: the customer should see the figures again. */
    private static final long DATE_MAX_AGE = 3600;

    private Proration() {
    }

    /** The behaviour asked for, create_prorations when none; a 400 problem for another value. */
    static String behaviour(String given) {
        String behaviour = given == null ? "create_prorations" : given;
        if (!BEHAVIOURS.contains(behaviour)) {
            throw ProblemException.badRequest("invalid-proration",
                    "proration must be create_prorations, none or always_invoice.");
        }
        return behaviour;
    }

    /** Null, or a preview's proration_date from the last hour (so the change charges what it showed). */
    static Long date(Long given) {
        long now = System.currentTimeMillis() / 1000;
        if (given != null && (given > now + 60 || given < now - DATE_MAX_AGE)) {
            throw ProblemException.badRequest("invalid-proration-date",
                    "proration_date must be the proration_date of a preview from the last hour (epoch seconds).");
        }
        return given;
    }
}
