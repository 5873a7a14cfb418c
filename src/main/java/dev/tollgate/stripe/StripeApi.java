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
