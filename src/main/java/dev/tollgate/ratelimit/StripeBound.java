package dev.tollgate.ratelimit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * Marks an HTTP endpoint that calls Stripe. Every such request is counted against a rate limit before
 * anything else happens ({@link StripeBoundLimiter}): per account for the billing API, per operator for
 * the admin API. StripeBoundEndpointsTest fails for a resource method that can reach Stripe without
 * this annotation (or {@link NoStripeCall}), so a new endpoint cannot forget it.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface StripeBound {

    /** Who a request is counted against. */
    enum Scope {
        /** The account the request acts on (user tokens: their own; service tokens: the one they name). */
        ACCOUNT,
        /** The operator (the admin token's subject). */
        OPERATOR
    }

    @Nonbinding
    Scope value() default Scope.ACCOUNT;

    /**
     * Without STRIPE_SECRET_KEY the interceptor answers 503 naming it before the method runs; an endpoint that
     * also needs other settings (checkout: a price id) names them all itself and says so here.
     */
    @Nonbinding
    boolean checksOwnSetup() default false;

    /** An endpoint of a Stripe-calling resource that itself never calls Stripe (a read from the database). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface NoStripeCall {
    }
}
