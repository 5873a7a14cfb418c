package dev.tollgate.webhook.inbox;

/** A correctly signed body that is not a Stripe event Tollgate can store. */
public class MalformedEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message, null, false, false);
    }
}
