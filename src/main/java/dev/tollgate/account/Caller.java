package dev.tollgate.account;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.tollgate.common.LogContext;
import dev.tollgate.common.ProblemException;

/** Who is calling, read from the verified JWT, and which account a request may act on. */
@RequestScoped
public class Caller {

    private final JsonWebToken jwt;
    private final AuthConfig config;

    public Caller(JsonWebToken jwt, AuthConfig config) {
        this.jwt = jwt;
        this.config = config;
    }

    /** The caller's own account id, from the configured claim. */
    public String accountId() {
        Object claim = jwt.getClaim(config.accountClaim());
        String value = claim == null ? null : claim.toString();
        if (value == null || value.isBlank()) {
            throw new ProblemException(401, "unauthorized", "Unauthorized",
                    "The token has no \"" + config.accountClaim() + "\" claim naming an account.");
        }
        if (value.startsWith("\"") && value.endsWith("\"") && value.length() > 1) {
            value = value.substring(1, value.length() - 1); // JSON string claims arrive quoted
        }
        LogContext.put(LogContext.ACCOUNT_ID, value);
        return value;
    }

    /** The email claim, when the token has one (handed to Stripe for new customers). */
    public String email() {
        Object claim = jwt.getClaim("email");
        String value = claim == null ? null : claim.toString().replace("\"", "");
        return value == null || value.isBlank() ? null : value;
    }

    public boolean isService() {
        return jwt.getGroups().contains(Roles.SERVICE);
    }

    public boolean isAdmin() {
        return jwt.getGroups().contains(Roles.ADMIN);
    }

    /**
     * The account a request acts on. Users act on their own account whatever they ask for (asking
     * for another one is refused with 403); service tokens act on the account they name.
     */
    public String accountFor(String requested) {
        if (requested == null || requested.isBlank()) {
            return isService() ? missingAccount() : accountId();
        }
        if (isService()) {
            LogContext.put(LogContext.ACCOUNT_ID, requested);
            return requested;
        }
        if (!requested.equals(accountId())) {
            throw new ProblemException(403, "forbidden", "Forbidden", "A user token may only act on its own account.");
        }
        return requested;
    }

    private static String missingAccount() {
        throw ProblemException.badRequest("account-required", "A service token must name the account to act on.");
    }
}
