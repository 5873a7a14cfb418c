package dev.tollgate.ratelimit;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.tollgate.account.Caller;
import dev.tollgate.common.LogContext;
import dev.tollgate.common.ProblemException;
import dev.tollgate.stripe.StripeGateway;

/**
 * Runs around every {@link StripeBound} endpoint method: counts the request against its rate limit and
 * refuses account ids Stripe cannot take, before Stripe is called. Resource methods return a lazy Uni, so
 * for a service token (whose account is named in the body) the method runs first to resolve the account
 * and a refusal after it still comes before any Stripe call or database work (the Uni is never subscribed).
 */
@StripeBound
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class StripeBoundLimiter {

    /** Stripe's limit for client_reference_id, the shortest field an account id is sent in. */
    public static final int MAX_ACCOUNT_ID_LENGTH = 200;

    private final StripeRateLimiter limiter;
    private final Caller caller;
    private final JsonWebToken jwt;
    private final StripeGateway gateway;

    public StripeBoundLimiter(StripeRateLimiter limiter, Caller caller, JsonWebToken jwt, StripeGateway gateway) {
        this.gateway = gateway;
        this.limiter = limiter;
        this.caller = caller;
        this.jwt = jwt;
    }

    @AroundInvoke
    Object limit(InvocationContext context) throws Exception {
        StripeBound bound = context.getInterceptorBinding(StripeBound.class);
        if (!gateway.configured() && (bound == null || !bound.checksOwnSetup())) {
            throw StripeGateway.notConfigured(List.of(StripeGateway.SECRET_KEY_VARIABLE));
        }
        if (bound != null && bound.value() == StripeBound.Scope.OPERATOR) {
            limiter.acquireForCaller(subject());
            return context.proceed();
        }
        if (!caller.isService()) {
            String account = caller.accountId();
            checkLength(account);
            limiter.acquireForAccount(account);
            return context.proceed();
        }
        try {
            return context.proceed();
        } finally {
            // Counted whether the method succeeded or refused the request, like a user's request is.
            String account = LogContext.get(LogContext.ACCOUNT_ID);
            if (account == null) {
                limiter.acquireForCaller(subject()); // e.g. a service token confirming any account's session
            } else {
                checkLength(account);
                limiter.acquireForAccount(account);
            }
        }
    }

    private String subject() {
        String subject = jwt.getSubject();
        return subject == null ? "" : subject;
    }

    private static void checkLength(String account) {
        if (account.length() > MAX_ACCOUNT_ID_LENGTH) {
            throw ProblemException.badRequest("account-id-too-long", "Account ids sent to Stripe are at most "
                    + MAX_ACCOUNT_ID_LENGTH + " characters (Stripe's limit for client_reference_id); this one has "
                    + account.length() + ".");
        }
    }
}
