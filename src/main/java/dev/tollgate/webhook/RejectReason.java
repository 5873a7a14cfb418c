package dev.tollgate.webhook;

import java.util.Locale;

/** Why a delivery was refused; the lower-case name is the metric tag and the problem type. */
public enum RejectReason {
    MISSING_HEADER,
    MALFORMED_HEADER,
    STALE_TIMESTAMP,
    FUTURE_TIMESTAMP,
    SIGNATURE_MISMATCH,
    BODY_TOO_LARGE,
    MALFORMED_EVENT;

    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
