package dev.tollgate.stripe;

import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;

/**
 * One breaker for all of Stripe: an outage affects every endpoint alike. Only failures that say
 * Stripe is down count (connection errors and 5xx); a declined card or a bad request is the
 * caller's and must never open it.
 */
@ApplicationScoped
public class StripeCircuitBreaker {

    private static final Logger LOG = Logger.getLogger(StripeCircuitBreaker.class);

    /** The state value of an open breaker. */
    private static final int OPEN = 2;

    private final Guard guard;
    private final long delaySeconds;
    /** 0 closed, 1 half-open, 2 open: exported as tollgate.stripe.circuit.state. */
    private final AtomicInteger state = new AtomicInteger();

    public StripeCircuitBreaker(StripeConfig config, MeterRegistry registry) {
        StripeConfig.CircuitBreaker settings = config.circuitBreaker();
        this.delaySeconds = Math.max(1, settings.delay().toSeconds());
        this.guard = Guard.create().withDescription("stripe").withCircuitBreaker()
                .requestVolumeThreshold(settings.requestVolume())
                .failureRatio(settings.failureRatio())
                .delay(settings.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .when(StripeCircuitBreaker::isOutage)
                .onStateChange(this::changed)
                .done().build();
        registry.gauge("tollgate.stripe.circuit.state", state);
    }

    /** Runs a blocking Stripe call through the breaker; throws CircuitBreakerOpenException while open. */
    @SuppressWarnings("unchecked") // The guard only needs the type to tell synchronous calls from async ones.
    public <T> T call(java.util.concurrent.Callable<T> call) throws Exception {
        return (T) guard.call(call::call, Object.class);
    }

    /**
     * Runs a blocking Stripe call unless the breaker is open (then CircuitBreakerOpenException, as
     * {@link #call} throws); its outcome does not count toward the breaker.
     */
    public <T> T unless(Callable<T> call) throws Exception {
        if (isOpen()) {
            throw new CircuitBreakerOpenException("stripe");
        }
        return call.call();
    }

    public boolean isOpen() {
        return state.get() == OPEN;
    }

    public long retryAfterSeconds() {
        return delaySeconds;
    }

    static boolean isOutage(Throwable failure) {
        if (failure instanceof ApiConnectionException) {
            return true;
        }
        return failure instanceof StripeException stripe && stripe.getStatusCode() != null
                && stripe.getStatusCode() >= 500;
    }

    private void changed(CircuitBreakerState newState) {
        state.set(switch (newState) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> OPEN;
        });
        LOG.warnf("Stripe circuit breaker is now %s", newState);
    }
}
