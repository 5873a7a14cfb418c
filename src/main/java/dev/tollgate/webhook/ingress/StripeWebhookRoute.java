package dev.tollgate.webhook.ingress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.common.LogContext;
import dev.tollgate.common.Problem;
import dev.tollgate.webhook.RejectReason;
import dev.tollgate.webhook.WebhookConfig;
import dev.tollgate.webhook.WebhookMetrics;
import dev.tollgate.webhook.inbox.EventEnvelope;
import dev.tollgate.webhook.inbox.EventIntake;
import dev.tollgate.webhook.inbox.MalformedEventException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Receives Stripe's event deliveries: bound the body, verify, parse, store once, acknowledge.
 * Applying the event happens afterwards, from the inbox, so the answer depends only on the event
 * being durable.
 *
 * <p>
 * A plain Vert.x route rather than a REST resource: this is the one endpoint that takes thousands of
 * requests a second, and the generic JAX-RS machinery (writer lookup, filters, entity serialization)
 * cost as much CPU as verifying and storing the event (docs/BENCHMARKS.md). It also sees the body as
 * it streams in, so an oversized one is refused without being buffered, a slow one is timed out
 * (tollgate.webhook.body-timeout, 408) and all unfinished ones together are bounded (BodyBudget, 503).
 *
 * <p>
 * Status codes are chosen for Stripe's retry behaviour: anything a retry cannot fix (bad signature,
 * not an event, too large) is a 4xx; a 5xx only when the event could not be stored, so that Stripe
 * delivers it again.
 */
@ApplicationScoped
public class StripeWebhookRoute {

    public static final String PATH = "/v1/webhooks/stripe";
    private static final Logger LOG = Logger.getLogger(StripeWebhookRoute.class);
    private static final String JSON = "application/json";
    /** How long a connection refused mid-body stays open (reading and dropping) after the answer is sent. */
    private static final long LINGER_MILLIS = 1000;

    private final SignatureVerifier verifier;
    private final EventIntake intake;
    private final WebhookMetrics metrics;
    private final WebhookConfig config;
    private final ObjectMapper mapper;
    private final BodyBudget budget;
    /** INFO in dev (tollgate.webhook.log-events), DEBUG otherwise: decided once, not per delivery. */
    private final Logger.Level receivedLogLevel;

    public StripeWebhookRoute(SignatureVerifier verifier, EventIntake intake, WebhookMetrics metrics,
            WebhookConfig config, ObjectMapper mapper, BodyBudget budget) {
        this.budget = budget;
        this.receivedLogLevel = config.logEvents() ? Logger.Level.INFO : Logger.Level.DEBUG;
        this.verifier = verifier;
        this.intake = intake;
        this.metrics = metrics;
        this.config = config;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.post(PATH).handler(this::receive);
    }

    private void receive(RoutingContext context) {
        long start = System.nanoTime();
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        if (!verifier.configured()) {
            problem(response, Problem.of(503, "webhook-secret-missing", "Service unavailable",
                    "No webhook signing secret is configured: set STRIPE_WEBHOOK_SECRET."));
            return;
        }
        long declared = declaredLength(request);
        if (declared > config.maxBodySize()) {
            tooLarge(context.vertx(), request,
                    "The body is " + declared + " bytes; at most " + config.maxBodySize() + " are accepted.");
            return;
        }
        if (!budget.admits(RequestBody.firstCapacity(declared))) {
            budgetExhausted(context.vertx(), request);
            return;
        }
        RequestBody body = new RequestBody(declared, config.maxBodySize(), budget);
        Vertx vertx = context.vertx();
        long timer = vertx.setTimer(config.bodyTimeout().toMillis(), id -> timedOut(vertx, request, body, declared));
        request.handler(chunk -> {
            if (response.ended()) {
                return;
            }
            if (body.length() + chunk.length() > config.maxBodySize()) {
                vertx.cancelTimer(timer);
                body.release();
                tooLarge(context.vertx(), request, "The body is larger than " + config.maxBodySize() + " bytes.");
            } else if (!body.append(chunk)) {
                vertx.cancelTimer(timer);
                body.release();
                budgetExhausted(context.vertx(), request);
            }
        });
        request.endHandler(end -> {
            vertx.cancelTimer(timer);
            if (response.ended()) {
                body.release();
            } else {
                accept(response, request.getHeader("Stripe-Signature"), body.finish(), start);
            }
        });
        // A connection that breaks off or closes mid-body never reaches the end handler: free its buffer here.
        request.exceptionHandler(e -> {
            vertx.cancelTimer(timer);
            body.release();
            LOG.debugf("A webhook delivery broke off: %s", e.getMessage());
        });
        // Called when the response is done or the connection closed before it was (vertx-web's cleanup hook).
        context.addEndHandler(done -> {
            vertx.cancelTimer(timer);
            body.release();
        });
        request.resume();
    }

    /** The body did not finish in time: answer 408, free the buffer and close the connection. */
    private void timedOut(Vertx vertx, HttpServerRequest request, RequestBody body, long declared) {
        if (request.response().ended()) {
            return;
        }
        int received = body.length();
        body.release();
        budget.refused(BodyBudget.Refusal.TIMEOUT);
        problemAndClose(vertx, request, Problem.of(408, "webhook-body-timeout", "Request timeout",
                "The body did not arrive within " + config.bodyTimeout().toMillis() + " ms (" + received + " of "
                        + (declared >= 0 ? declared + " announced" : "an unannounced number of") + " bytes came)."));
    }

    /**
     * Unfinished webhook bodies already hold the process-wide budget (BodyBudget). 503 so that Stripe
     * delivers again; by Retry-After every body held now has finished or timed out.
     */
    private void budgetExhausted(Vertx vertx, HttpServerRequest request) {
        budget.refused(BodyBudget.Refusal.BUDGET_EXHAUSTED);
        long seconds = Math.max(1, (config.bodyTimeout().toMillis() + 999) / 1000);
        request.response().putHeader("Retry-After", String.valueOf(seconds));
        problemAndClose(vertx, request, Problem.of(503, "webhook-busy", "Service unavailable",
                "Too many webhook deliveries are arriving at once (" + budget.max()
                        + " bytes of unfinished bodies); retry after " + seconds + " s."));
    }

    private void accept(HttpServerResponse response, String signature, byte[] body, long start) {
        EventEnvelope event;
        try {
            verifier.verify(body, signature);
            event = intake.parse(body);
        } catch (SignatureRejectedException e) {
            reject(response, e.reason(), 400, "Invalid signature", e.getMessage());
            return;
        } catch (MalformedEventException e) {
            reject(response, RejectReason.MALFORMED_EVENT, 400, "Not a Stripe event", e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure while reading a webhook delivery", e);
            problem(response, Problem.of(500, "internal-error", "Internal error",
                    "The delivery could not be read; Stripe will deliver it again."));
            return;
        }
        // The rest of this request's lines (including a failed store) name the event.
        LogContext.put(LogContext.EVENT_ID, event.id());
        LogContext.put(LogContext.EVENT_TYPE, event.type());
        metrics.verified();
        metrics.received(event.type());
        metrics.apiVersion(event.apiVersion());
        intake.store(event, EventIntake.Source.WEBHOOK).subscribe().with(stored -> {
            if (!stored) {
                metrics.duplicate(event.type());
            }
            if (LOG.isEnabled(receivedLogLevel)) {
                LOG.logf(receivedLogLevel, "Webhook received %s %s (object %s): %s", event.type(), event.id(), event.objectId(),
                        stored ? "stored" : "duplicate");
            }
            metrics.acknowledged(start);
            response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                    .end(acknowledgement(event.id(), !stored));
        }, failure -> {
            if (failure instanceof MalformedEventException malformed) {
                reject(response, RejectReason.MALFORMED_EVENT, 400, "Not a Stripe event", malformed.getMessage());
                return;
            }
            LOG.errorf("Could not store event %s (%s): %s", event.id(), event.type(), failure.getMessage());
            response.putHeader("Retry-After", "30");
            problem(response, Problem.of(503, "inbox-unavailable", "Service unavailable",
                    "The event could not be stored; Stripe will deliver it again."));
        });
    }

    /** {"received":true,"id":...,"duplicate":...}, written by hand: it is on the hottest path. */
    static String acknowledgement(String eventId, boolean duplicate) {
        return "{\"received\":true,\"id\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(eventId))
                + "\",\"duplicate\":" + duplicate + "}";
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // Vert.x itself refuses a garbled Content-Length
        }
    }

    private void tooLarge(Vertx vertx, HttpServerRequest request, String detail) {
        metrics.rejected(RejectReason.BODY_TOO_LARGE);
        problemAndClose(vertx, request, Problem.of(413, "webhook-body-too-large", "Payload too large", detail));
    }

    /**
     * Answers and then closes the connection: the rest of the body is dropped, never buffered, so the
     * connection cannot carry another request, and a client holding it open must not keep its socket.
     */
    private void problemAndClose(Vertx vertx, HttpServerRequest request, Problem problem) {
        HttpServerResponse response = request.response();
        if (response.ended()) {
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        // Lingering close: closing a socket with unread bytes in it makes the kernel send a reset, which can
        // destroy the answer before the client has read it (a client still sending then sees only "EOF").
        // So the rest of the body is read and dropped (nothing is buffered) for a moment before closing.
        if (!request.isEnded()) {
            request.handler(dropped -> {
            });
            request.resume();
        }
        problem(response, problem)
                .onComplete(written -> vertx.setTimer(LINGER_MILLIS, id -> request.connection().close()));
    }

    private void reject(HttpServerResponse response, RejectReason reason, int status, String title, String detail) {
        metrics.rejected(reason);
        // The body is never logged: it is attacker-controlled when the signature is bad.
        LOG.debugf("Rejected a webhook delivery: %s", reason.tag());
        problem(response, Problem.of(status, "webhook-" + reason.tag(), title, detail));
    }

    private Future<Void> problem(HttpServerResponse response, Problem problem) {
        if (response.ended()) {
            return Future.succeededFuture();
        }
        String json;
        try {
            json = mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            json = "{\"status\":" + problem.status() + "}";
        }
        return response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(json);
    }
}
