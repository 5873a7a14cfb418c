package dev.tollgate.stripe;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.exception.TemporarySessionExpiredException;
import com.stripe.net.RequestOptions;

import dev.tollgate.common.LogContext;
import dev.tollgate.common.Problem;
import dev.tollgate.common.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * The one way Tollgate talks to Stripe. stripe-java blocks, so every call runs on a worker thread,
 * never on the event loop, on the threads of {@link StripeBulkhead}. Stripe's errors become problem
 * answers: card and invalid-request errors are the caller's (4xx), Stripe being unreachable or failing is a
 * 502/503 the caller may retry; a request stripe-java refuses to send, or a key Stripe rejects, is a 500
 * that says what is wrong (retrying cannot help).
 */
@ApplicationScoped
public class StripeGateway {

    /** The environment variable of the API key. */
    public static final String SECRET_KEY_VARIABLE = "STRIPE_SECRET_KEY";

    private static final Logger LOG = Logger.getLogger(StripeGateway.class);
    private static final String METER_EVENTS_HOST = "https://meter-events.stripe.com";

    private final StripeConfig config;
    private volatile Optional<StripeClient> client;
    /** Dev mode's simulator's base URL, known once the HTTP server answers; null when not simulated. */
    private volatile Supplier<String> simulatorBase;
    private final MeterRegistry registry;
    private final StripeCircuitBreaker breaker;
    private final StripeBulkhead bulkhead;

    public StripeGateway(StripeConfig config, MeterRegistry registry, StripeCircuitBreaker breaker,
            StripeBulkhead bulkhead) {
        this.config = config;
        this.registry = registry;
        this.breaker = breaker;
        this.bulkhead = bulkhead;
        registry.gauge("tollgate.stripe.calls.in.flight", bulkhead, StripeBulkhead::inFlight);
        this.client = config.secretKey().filter(k -> !k.isBlank())
                .map(key -> build(key, config.apiBase().orElse(null)));
    }

    private StripeClient build(String key, String apiBase) {
        StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(key)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setReadTimeout((int) config.readTimeout().toMillis())
                .setMaxNetworkRetries(config.maxNetworkRetries());
        if (apiBase != null) {
            builder.setApiBase(apiBase);
        }
        return builder.build();
    }

    /**
     * Where the meter event stream is sent: dev mode's simulator when it stands in for Stripe (like every other
     * call), else meter-events-base, else the overridden api-base (a stub), else Stripe's meter events host.
     */
    public String meterEventsBase() {
        Supplier<String> simulator = simulatorBase;
        if (simulator != null) {
            return simulator.get();
        }
        return config.meterEventsBase().or(config::apiBase).orElse(METER_EVENTS_HOST);
    }

    /** The circuit breaker is open: Stripe was failing people's requests moments ago; calls fail fast. */
    public boolean pausedByBreaker() {
        return breaker.isOpen();
    }

    /** How long an open breaker waits before letting a trial call through. */
    public long breakerRetryAfterSeconds() {
        return breaker.retryAfterSeconds();
    }

    public boolean configured() {
        return client.isPresent() || simulatorBase != null;
    }

    /**
     * Sends every call to dev mode's Stripe simulator (devmode.StripeSimulator) instead of Stripe, for a process
     * that has no API key. The base URL is asked for at the first call, once the HTTP server has its port. Only
     * the simulator calls this, and it never runs under production's rules; with a real key nothing changes.
     */
    public void simulateWith(Supplier<String> apiBase) {
        if (client.isPresent()) {
            throw new IllegalStateException("STRIPE_SECRET_KEY is set: the Stripe simulator must not replace Stripe.");
        }
        simulatorBase = apiBase;
    }

    private Optional<StripeClient> client() {
        Optional<StripeClient> current = client;
        Supplier<String> simulator = simulatorBase;
        if (current.isPresent() || simulator == null) {
            return current;
        }
        String base = simulator.get();
        if (base == null) {
            return current;
        }
        synchronized (this) {
            if (client.isEmpty()) {
                client = Optional.of(build("sk_test_tollgate_simulator", base));
            }
            return client;
        }
    }

    /**
     * 503 naming the environment variables to set (also listed under {@code missing_settings}), for a request that
     * needs Stripe while some of them are unset.
     */
    public static ProblemException notConfigured(List<String> variables) {
        String names = variables.size() == 1 ? variables.get(0)
                : String.join(", ", variables.subList(0, variables.size() - 1)) + " and "
                        + variables.get(variables.size() - 1);
        return new ProblemException(Problem.of(503, "stripe-not-configured", "Service unavailable",
                "This endpoint calls Stripe and is not set up: set " + names + " (then restart)."), Map.of(),
                Map.of("missing_settings", List.copyOf(variables)));
    }

    /**
     * Runs {@code call} off the event loop. {@code operation} names the call in metrics and logs
     * ("checkout.sessions.create").
     */
    public <T> Uni<T> call(String operation, StripeCall<T> call) {
        return call(operation, call, true);
    }

    /**
     * Like {@link #call(String, StripeCall)} for background deliveries that keep their own retry schedule in
     * the database (usage meter events): their failures do not count toward the circuit breaker, which
     * protects people's requests; a busy background stream with a share of random failures would otherwise
     * fill its window and pause everyone's checkouts. They still wait while it is open (503
     * stripe-circuit-open without calling): the breaker having seen Stripe down is reason enough to hold off.
     */
    public <T> Uni<T> callOutsideBreaker(String operation, StripeCall<T> call) {
        return call(operation, call, false);
    }

    private <T> Uni<T> call(String operation, StripeCall<T> call, boolean countedByBreaker) {
        Optional<StripeClient> available = client();
        if (available.isEmpty()) {
            return Uni.createFrom().failure(notConfigured(List.of(SECRET_KEY_VARIABLE)));
        }
        StripeClient stripe = available.get();
        // The worker thread has no request context: the caller's request and account ids go along.
        Map<String, Object> logContext = LogContext.snapshot();
        return Uni.createFrom().item(() -> LogContext.carry(logContext, () -> {
            try {
                T result = countedByBreaker ? breaker.call(() -> call.call(stripe)) : breaker.unless(() -> call.call(stripe));
                registry.counter("tollgate.stripe.requests", "operation", operation, "outcome", "ok").increment();
                return result;
            } catch (StripeException e) {
                registry.counter("tollgate.stripe.requests", "operation", operation, "outcome", outcome(e))
                        .increment();
                throw translate(operation, e);
            } catch (CircuitBreakerOpenException e) {
                registry.counter("tollgate.stripe.requests", "operation", operation, "outcome", "circuit_open")
                        .increment();
                throw new ProblemException(
                        Problem.of(503, "stripe-circuit-open", "Service unavailable",
                                "Stripe is failing; calls are paused for a moment. Try again shortly."),
                        Map.of("Retry-After", Long.toString(breaker.retryAfterSeconds())));
            } catch (RequestOptions.InvalidRequestOptionsException | IllegalArgumentException e) {
                registry.counter("tollgate.stripe.requests", "operation", operation, "outcome", "refused_before_sending")
                        .increment();
                throw refusedBeforeSending(operation, e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).runSubscriptionOn(bulkhead.executor())
                .onFailure(RejectedExecutionException.class)
                .transform(e -> StripeBulkhead.full(e));
    }

    /**
     * stripe-java checked the request and would not send it (an idempotency key over 255 characters, an
     * empty one): the same request fails the same way every time, so this is no "try again" answer.
     */
    static ProblemException refusedBeforeSending(String operation, RuntimeException e) {
        LOG.errorf("stripe-java refused to send %s: %s", operation, e.getMessage());
        return new ProblemException(500, "stripe-request-refused", "Internal error",
                "Tollgate built a Stripe request (" + operation + ") that stripe-java refused to send: "
                        + e.getMessage() + " Retrying the same request fails the same way.");
    }

    static String outcome(StripeException e) {
        if (e instanceof CardException) {
            return "card_error";
        }
        if (e instanceof InvalidRequestException || e instanceof IdempotencyException) {
            return "invalid_request";
        }
        if (e instanceof RateLimitException) {
            return "rate_limited";
        }
        if (e instanceof ApiConnectionException) {
            return "connection_error";
        }
        return "api_error";
    }

    static ProblemException translate(String operation, StripeException e) {
        if (e instanceof CardException card) {
            return new ProblemException(402, "card-declined", "Payment failed",
                    card.getStripeError() != null && card.getStripeError().getMessage() != null
                            ? card.getStripeError().getMessage()
                            : "The card was declined.");
        }
        if (e instanceof InvalidRequestException || e instanceof IdempotencyException) {
            int status = e.getStatusCode() != null && e.getStatusCode() == 404 ? 404 : 400;
            return new ProblemException(status, "stripe-invalid-request", "Stripe refused the request",
                    StripeErrorMessages.invalidRequest(e));
        }
        if (e instanceof AuthenticationException || e instanceof PermissionException) {
            LOG.errorf("Stripe refused Tollgate's API key for %s (status %s, request %s)", operation,
                    e.getStatusCode(), e.getRequestId());
            return new ProblemException(500, "stripe-key-refused", "Internal error",
                    "Stripe refused Tollgate's API key (STRIPE_SECRET_KEY) for this call; an operator must fix the"
                            + " key or its permissions. Retrying does not help.");
        }
        if (e instanceof TemporarySessionExpiredException) {
            // A meter event session's token lasts 15 minutes: the caller gets a new session and sends again.
            return new ProblemException(503, "stripe-session-expired", "Service unavailable",
                    "The Stripe meter event session expired; a new one is needed.");
        }
        LOG.warnf("Stripe call %s failed: %s (status %s, request %s)", operation, e.getClass().getSimpleName(),
                e.getStatusCode(), e.getRequestId());
        if (e instanceof RateLimitException) {
            return new ProblemException(
                    Problem.of(503, "stripe-rate-limited", "Service unavailable",
                            "Stripe is rate limiting requests; try again shortly."),
                    Map.of("Retry-After", "5"));
        }
        return new ProblemException(
                Problem.of(502, "stripe-unavailable", "Bad gateway",
                        "Stripe could not be reached or failed; try again shortly."),
                Map.of("Retry-After", "5"));
    }
}
