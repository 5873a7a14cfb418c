package dev.tollgate.common;

import java.time.Instant;

import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Why a bearer token was refused, in words a caller can act on, from the verifier's exception chain; never
 * with the token itself. {@code code} goes to logs, {@code detail} to the problem document and the
 * WWW-Authenticate header's error_description.
 */
public record TokenRejection(String code, String detail) {

    static TokenRejection of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid) {
                return of(invalid);
            }
            if (cause instanceof UnresolvableKeyException) {
                return unknownKey();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return new TokenRejection("invalid", "The bearer token could not be verified: it is not a JWT signed with"
                + " a key this service trusts.");
    }

    private static TokenRejection of(InvalidJwtException invalid) {
        if (invalid.hasExpired()) {
            return new TokenRejection("expired", "The bearer token expired" + at(invalid, "exp")
                    + ": get a new one.");
        }
        if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID) || invalid.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return new TokenRejection("not_yet_valid", "The bearer token is not valid yet" + at(invalid, "nbf")
                    + ": check the clocks of the issuer and this service.");
        }
        if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return new TokenRejection("bad_signature", "The bearer token's signature does not verify with the key"
                    + " this service trusts: it was signed by another key or altered.");
        }
        if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return new TokenRejection("wrong_issuer", "The bearer token's issuer (iss) is not the one this service"
                    + " accepts (MP_JWT_VERIFY_ISSUER).");
        }
        if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return new TokenRejection("wrong_audience", "The bearer token's audience (aud) is not one this service"
                    + " accepts (MP_JWT_VERIFY_AUDIENCES).");
        }
        if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return new TokenRejection("no_expiry", "The bearer token has no expiry (exp); tokens must expire.");
        }
        for (Throwable cause = invalid.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvableKeyException) {
                return unknownKey();
            }
        }
        return new TokenRejection("invalid", "The bearer token is malformed or its claims are invalid.");
    }

    private static TokenRejection unknownKey() {
        return new TokenRejection("unknown_key", "The bearer token names a key id (kid) this service does not know:"
                + " no key of the configured key set matches.");
    }

    private static String at(InvalidJwtException invalid, String claim) {
        try {
            if (invalid.getJwtContext() == null || invalid.getJwtContext().getJwtClaims() == null) {
                return "";
            }
            NumericDate date = claim.equals("exp") ? invalid.getJwtContext().getJwtClaims().getExpirationTime()
                    : invalid.getJwtContext().getJwtClaims().getNotBefore();
            return date == null ? ""
                    : " (" + (claim.equals("exp") ? "at " : "until ")
                            + Instant.ofEpochSecond(date.getValue()) + ")";
        } catch (MalformedClaimException e) {
            return "";
        }
    }

    /** RFC 6750's challenge; the description is ours (never the token), with quotes removed. */
    String challenge() {
        return "Bearer error=\"invalid_token\", error_description=\"" + detail.replace("\"", "'") + "\"";
    }
}
