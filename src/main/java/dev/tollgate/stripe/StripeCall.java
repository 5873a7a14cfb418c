package dev.tollgate.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;

/** A blocking stripe-java call, run by {@link StripeGateway} on a worker thread. */
@FunctionalInterface
public interface StripeCall<T> {

    T call(StripeClient client) throws StripeException;
}
