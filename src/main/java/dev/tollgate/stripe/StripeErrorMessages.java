package dev.tollgate.stripe;

import java.util.regex.Pattern;

import com.stripe.exception.StripeException;

/**
 * What a caller is told about a request Stripe refused. Stripe's invalid-request messages name object
 * ids ("No such customer: 'cus_...'", "The payment method pm_... belongs to another customer"), which may
 * belong to other customers: such a message is replaced by a generic one that keeps only Stripe's error
 * code and the parameter it names. Card errors are written by Stripe for the customer and pass unchanged.
 */
final class StripeErrorMessages {

    /** Stripe ids: a lowercase prefix, an underscore and an opaque part ("cus_9s6XKzkNRiz8i3", "price_1Mo..."). */
    private static final Pattern OBJECT_ID = Pattern.compile("\\b[a-z]{2,8}_(?:test_|live_)?[A-Za-z0-9]{6,}");
    static final String GENERIC = "Stripe refused the request as invalid.";

    private StripeErrorMessages() {
    }

    static String invalidRequest(StripeException e) {
        String message = e.getStripeError() != null ? e.getStripeError().getMessage() : null;
        if (message != null && !OBJECT_ID.matcher(message).find()) {
            return message;
        }
        StringBuilder generic = new StringBuilder(GENERIC);
        if (e.getStripeError() != null && e.getStripeError().getCode() != null) {
            generic.append(" Code: ").append(e.getStripeError().getCode()).append('.');
        }
        if (e.getStripeError() != null && e.getStripeError().getParam() != null) {
            generic.append(" Parameter: ").append(e.getStripeError().getParam()).append('.');
        }
        return generic.toString();
    }
}
