package dev.tollgate.account;

import java.util.regex.Pattern;

import dev.tollgate.common.ProblemException;

/**
 * The email a new Stripe customer is created with: the one the request body gives, else the user's own
 * token's. A service token's email is the calling backend's, never the customer's (receipts and portal
 * logins would go to the backend), so service calls without one in the body create the customer without.
 */
public final class CustomerEmail {

    /** Stripe's limit for a customer's email. */
    static final int MAX_LENGTH = 512;
    private static final Pattern SHAPE = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private CustomerEmail() {
    }

    /** @return the email to send, or null for none */
    public static String of(Caller caller, String fromBody) {
        if (fromBody != null) {
            if (fromBody.length() > MAX_LENGTH || !SHAPE.matcher(fromBody).matches()) {
                throw ProblemException.badRequest("invalid-email",
                        "email must be an email address of at most " + MAX_LENGTH + " characters.");
            }
            return fromBody;
        }
        return caller.isService() || caller.isAdmin() ? null : caller.email();
    }
}
