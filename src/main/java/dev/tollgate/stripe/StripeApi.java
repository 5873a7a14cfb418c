package dev.tollgate.stripe;

import java.io.IOException;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.net.ApiResource;
import com.stripe.net.RawRequestOptions;

import io.smallrye.mutiny.Uni;

/**
 * Stripe's REST API as JSON in and out, through {@link StripeGateway} (worker threads, retries,
 * error mapping). Answers are read with Jackson like webhook events are, so the service depends on
 * neither stripe-java's version-pinned models nor their reflection (which a native image must register).
 */
@ApplicationScoped
public class StripeApi {

    private final StripeGateway gateway;
    private final ObjectMapper mapper;

    public StripeApi(StripeGateway gateway, ObjectMapper mapper) {
        this.gateway = gateway;
        this.mapper = mapper;
    }

    public Uni<JsonNode> get(String operation, String path) {
        return gateway.call(operation, client -> client.rawRequest(ApiResource.RequestMethod.GET, path, null).body())
                .map(this::parse);
    }

    /** A POST with an idempotency key, so a retried or repeated request never does the thing twice. */
    public Uni<JsonNode> post(String operation, String path, StripeForm form, String idempotencyKey) {
        // The options are built inside the call: stripe-java validates the key there, and a key it refuses
        // must end as the gateway's precise problem, not as an unexpected failure of the request.
        return gateway.call(operation, client -> client.rawRequest(ApiResource.RequestMethod.POST, path,
                form.toString(), options(idempotencyKey)).body())
                .map(this::parse);
    }

    /**
     * A POST for a background delivery that keeps its own retry schedule in the database: stripe-java does not
     * retry it (a failure comes back at once and frees the thread for the next delivery) and it does not count
     * toward the circuit breaker ({@link StripeGateway#callOutsideBreaker}).
     */
    public Uni<JsonNode> postRetriedLater(String operation, String path, StripeForm form, String idempotencyKey) {
        return gateway.callOutsideBreaker(operation, client -> client.rawRequest(ApiResource.RequestMethod.POST, path,
                form.toString(), RawRequestOptions.builder().setIdempotencyKey(idempotencyKey).setMaxNetworkRetries(0)
                        .build())
                .body())
                .map(this::parse);
    }

    /**
     * A JSON POST to Stripe's v2 API (stripe-java sends /v2 paths as JSON) at {@code baseUrl} (null: the API's
     * host), authenticated with {@code apiKey} instead of the secret key when given (a meter event session's
     * token), retried later by its caller like {@link #postRetriedLater}. stripe-java gives v2 POSTs their
     * idempotency key itself.
     */
    public Uni<JsonNode> postJsonRetriedLater(String operation, String baseUrl, String path, String json,
            String apiKey) {
        return gateway.callOutsideBreaker(operation, client -> {
            RawRequestOptions.RawRequestOptionsBuilder options = RawRequestOptions.builder();
            options.setMaxNetworkRetries(0);
            if (baseUrl != null) {
                options.setBaseUrl(baseUrl);
            }
            if (apiKey != null) {
                options.setApiKey(apiKey);
            }
            return client.rawRequest(ApiResource.RequestMethod.POST, path, json, options.build()).body();
        }).map(body -> body == null || body.isBlank() ? mapper.createObjectNode() : parse(body));
    }

    public Uni<JsonNode> delete(String operation, String path, String idempotencyKey) {
        return gateway.call(operation, client -> client.rawRequest(ApiResource.RequestMethod.DELETE, path, null,
                options(idempotencyKey)).body())
                .map(this::parse);
    }

    private static RawRequestOptions options(String idempotencyKey) {
        return RawRequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private JsonNode parse(String body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Stripe answered with something that is not JSON", e);
        }
    }
}
