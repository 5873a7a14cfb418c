package dev.tollgate.webhook.ingress;

import dev.tollgate.webhook.RejectReason;

/** A delivery whose signature does not prove it came from Stripe. */
public class SignatureRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public SignatureRejectedException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
