package dev.tollgate.webhook;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestHeader;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.tollgate.common.Problem;
import io.smallrye.mutiny.Uni;

/**
 * Receives Stripe's event deliveries: verify, parse, store once, acknowledge. Applying the event
 * happens afterwards, from the inbox, so the answer depends only on the event being durable.
 *
 * <p>
 * Status codes are chosen for Stripe's retry behaviour: anything that a retry cannot fix (bad
 * signature, not an event) is a 4xx; a 5xx only when the inbox could not store the event, so that
 * Stripe delivers it again.
 */
@Path(StripeWebhookResource.PATH)
@Tag(name = "Webhooks")
public class StripeWebhookResource {

    public static final String PATH = "/v1/webhooks/stripe";
    private static final Logger LOG = Logger.getLogger(StripeWebhookResource.class);

    private final SignatureVerifier verifier;
    private final EnvelopeParser parser;
    private final InboxWriter inbox;
    private final ProcessorLoop processor;
    private final WebhookMetrics metrics;
    private final WebhookConfig config;

    public StripeWebhookResource(SignatureVerifier verifier, EnvelopeParser parser, InboxWriter inbox,
            ProcessorLoop processor, WebhookMetrics metrics, WebhookConfig config) {
        this.verifier = verifier;
        this.parser = parser;
        this.inbox = inbox;
        this.processor = processor;
        this.metrics = metrics;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stripe webhook endpoint", description = "Verifies Stripe-Signature, stores the event once and acknowledges it.")
    public Uni<Response> receive(@RestHeader("Stripe-Signature") String signature, byte[] body) {
        long start = System.nanoTime();
        if (!verifier.configured()) {
            return Uni.createFrom().item(problem(Problem.of(503, "webhook-secret-missing", "Service unavailable",
                    "No webhook signing secret is configured: set STRIPE_WEBHOOK_SECRET.")));
        }
        if (body.length > config.maxBodySize()) {
            return Uni.createFrom().item(reject(RejectReason.BODY_TOO_LARGE, 413, "Payload too large",
                    "The body is larger than " + config.maxBodySize() + " bytes."));
        }
        EventEnvelope event;
        try {
            verifier.verify(body, signature);
            event = parser.parse(body);
        } catch (SignatureRejectedException e) {
            return Uni.createFrom().item(reject(e.reason(), 400, "Invalid signature", e.getMessage()));
        } catch (MalformedEventException e) {
            return Uni.createFrom().item(reject(RejectReason.MALFORMED_EVENT, 400, "Not a Stripe event",
                    e.getMessage()));
        }
        metrics.verified();
        metrics.received(event.type());
        metrics.apiVersion(event.apiVersion());
        return inbox.store(event, "webhook")
                .map(stored -> {
                    if (stored) {
                        processor.wake();
                    } else {
                        metrics.duplicate(event.type());
                    }
                    metrics.acknowledged(start);
                    return Response.ok(acknowledgement(event.id(), !stored), MediaType.APPLICATION_JSON_TYPE).build();
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.errorf("Could not store event %s (%s): %s", event.id(), event.type(), failure.getMessage());
                    return Response.fromResponse(problem(Problem.of(503, "inbox-unavailable", "Service unavailable",
                            "The event could not be stored; Stripe will deliver it again.")))
                            .header("Retry-After", "30").build();
                });
    }

    /** {"received":true,"id":...,"duplicate":...}, written by hand: it is on the hottest path. */
    static String acknowledgement(String eventId, boolean duplicate) {
        return "{\"received\":true,\"id\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(eventId))
                + "\",\"duplicate\":" + duplicate + "}";
    }

    private Response reject(RejectReason reason, int status, String title, String detail) {
        metrics.rejected(reason);
        // The body is never logged: it is attacker-controlled when the signature is bad.
        LOG.debugf("Rejected a webhook delivery: %s", reason.tag());
        return problem(Problem.of(status, "webhook-" + reason.tag(), title, detail));
    }

    private static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
