package dev.tollgate.account;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonString;

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

    /**
     * The caller's own account id: the configured claim's JSON string value, exactly as the token carries it.
     * A claim of another JSON type (number, object, array, boolean) is refused rather than turned into text:
     * {@code 42} and {@code "42"}, or an array printed as text, must not name the same account.
     */
    public String accountId() {
        Object claim = jwt.getClaim(config.accountClaim());
        String value = stringClaim(claim);
        if (claim != null && value == null) {
            throw new ProblemException(401, "unauthorized", "Unauthorized",
                    "The token's \"" + config.accountClaim() + "\" claim must be a JSON string naming an account.");
        }
        if (value == null || value.isBlank()) {
            throw new ProblemException(401, "unauthorized", "Unauthorized",
                    "The token has no \"" + config.accountClaim() + "\" claim naming an account.");
        }
        LogContext.put(LogContext.ACCOUNT_ID, value);
        return value;
    }

    /** A claim's JSON string value; null when it is missing or not a string. */
    private static String stringClaim(Object claim) {
        if (claim instanceof String text) {
            return text; // registered claims such as sub arrive as Java strings
        }
        if (claim instanceof JsonString json) {
            return json.getString(); // custom claims arrive as JSON values; getString() has no quotes to strip
        }
        return null;
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
