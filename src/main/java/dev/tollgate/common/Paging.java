package dev.tollgate.common;

/** The limit/offset checks every list endpoint shares, with the same problem answer. */
public final class Paging {

    private Paging() {
    }

    public static void check(int limit, int offset, int maxLimit) {
        if (limit < 1 || limit > maxLimit || offset < 0) {
            throw ProblemException.badRequest("invalid-parameter",
                    "limit must be between 1 and " + maxLimit + " and offset must not be negative.");
        }
    }
}
