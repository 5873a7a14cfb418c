package dev.tollgate.admin.endpoint;

import static dev.tollgate.common.Json.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.Stripe;

import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.stripe.StripeKeys;
import dev.tollgate.webhook.WebhookMetrics;
import dev.tollgate.webhook.processing.HandledEventTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Creates or updates the Stripe webhook endpoint for a URL so that it sends every event type Tollgate
 * handles, in the API version the code reads. Stripe shows an endpoint's signing secret only in the answer
 * that creates it: it is handed to the operator once and neither logged nor stored.
 */
@ApplicationScoped
public class WebhookEndpointSetup {

    /**
     * The API version stripe-java sends with every request and the mirrors are written for; its major
     * ("dahlia") is what {@link WebhookMetrics#EXPECTED_API_MAJOR} counts mismatches against.
     */
    public static final String API_VERSION = Stripe.API_VERSION;

    private static final Logger LOG = Logger.getLogger(WebhookEndpointSetup.class);
    // Two operators setting up the same URL at once must not create two endpoints: the second waits and
    // then finds the first one's endpoint in the list.
    private static final String LOCK = "select pg_advisory_xact_lock(hashtextextended('webhook-endpoint:' || $1, 0))";
    private static final int PAGE = 100;

    private final StripeApi stripe;
    private final Pool pool;

    public WebhookEndpointSetup(StripeApi stripe, Pool pool) {
        this.stripe = stripe;
        this.pool = pool;
    }

    /**
     * @param action "created" or "updated"
     * @param secret the signing secret (whsec_...), only when the endpoint was created
     * @param note what the operator has to do next
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String action, String id, String url, List<String> enabledEvents, String apiVersion,
            String status, String secret, String note) {
    }

    public Uni<Result> setUp(String url) {
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(url))
                .flatMap(x -> find(url, null))
                .flatMap(existing -> existing.isPresent() ? update(existing.get()) : create(url)));
    }

    private Uni<Optional<JsonNode>> find(String url, String startingAfter) {
        String path = "/v1/webhook_endpoints?limit=" + PAGE + (startingAfter == null ? ""
                : "&starting_after="
                        + startingAfter);
        return stripe.get("webhook_endpoints.list", path).flatMap(page -> {
            String last = null;
            for (JsonNode endpoint : page.path("data")) {
                if (url.equals(text(endpoint, "url"))) {
                    return Uni.createFrom().item(Optional.of(endpoint));
                }
                last = text(endpoint, "id");
            }
            return page.path("has_more").asBoolean(false) && last != null
                    ? find(url, last)
                    : Uni.createFrom().item(Optional.<JsonNode> empty());
        });
    }

    private Uni<Result> create(String url) {
        StripeForm form = events(new StripeForm().add("url", url)).add("api_version", API_VERSION)
                .add("description", "Tollgate").add("metadata[tollgate]", "true");
        // A fresh key per request: it covers stripe-java's retries of this call. A key derived from the URL
        // would, for a day, answer a re-creation after a deletion with the deleted endpoint.
        return stripe.post("webhook_endpoints.create", "/v1/webhook_endpoints", form,
                "tollgate-webhook-endpoint-" + UUID.randomUUID())
                .map(created -> {
                    LOG.infof("Created Stripe webhook endpoint %s for %s", text(created, "id"), url);
                    return new Result("created", text(created, "id"), text(created, "url"), list(created),
                            text(created, "api_version"), text(created, "status"), text(created, "secret"),
                            "Store the secret now as STRIPE_WEBHOOK_SECRET (it is shown only this once),"
                                    + " then restart or roll out Tollgate.");
                });
    }

    private Uni<Result> update(JsonNode existing) {
        String id = text(existing, "id");
        StripeForm form = events(new StripeForm());
        // The key covers this request and the endpoint as it was found. Stripe replays the first answer to a
        // key for 24 hours: a key of the request alone would, after the endpoint was changed in between (events
        // removed in the Dashboard), answer the old result and apply nothing. An unchanged endpoint gets the
        // same key, and replaying that answer is right.
        String key = StripeKeys.of("tollgate-webhook-endpoint", id, form.toString(), existing.toString());
        return stripe.post("webhook_endpoints.update", "/v1/webhook_endpoints/" + id, form, key)
                .map(updated -> {
                    LOG.infof("Updated the event types of Stripe webhook endpoint %s", id);
                    String version = text(updated, "api_version");
                    String note = "The endpoint existed: its enabled events were updated and its signing secret"
                            + " stays valid (Stripe shows it only at creation; roll it in the Dashboard if it is lost).";
                    if (version != null && !version.equals(API_VERSION)) {
                        note += " Its API version is " + version + ", not " + API_VERSION
                                + ": Stripe cannot change it; create an endpoint for another URL to move.";
                    }
                    if ("disabled".equals(text(updated, "status"))) {
                        note += " The endpoint is disabled in Stripe; enable it in the Dashboard.";
                    }
                    return new Result("updated", id, text(updated, "url"), list(updated), version,
                            text(updated, "status"), null, note);
                });
    }

    private static StripeForm events(StripeForm form) {
        for (int i = 0; i < HandledEventTypes.ALL.size(); i++) {
            form.add("enabled_events[" + i + "]", HandledEventTypes.ALL.get(i));
        }
        return form;
    }

    private static List<String> list(JsonNode endpoint) {
        List<String> events = new ArrayList<>();
        endpoint.path("enabled_events").forEach(e -> events.add(e.asText()));
        return events;
    }
}
