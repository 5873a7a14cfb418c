package dev.tollgate.devmode;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.common.ProblemException;
import dev.tollgate.config.ProductionRules;
import dev.tollgate.ratelimit.StripeBound;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The Stripe simulator over HTTP: under {@value #API}, the part of Stripe's API Tollgate calls (stripe-java's API
 * base points here when the simulator is on), answered like Stripe (form-encoded requests, JSON objects, Stripe's
 * error shape); and the pages a customer sees instead of Stripe's: Checkout and the Customer Portal. Not part of
 * Tollgate's API (hidden from OpenAPI), absent from the production build, 404 whenever the simulator is off.
 */
@Path(StripeSimulatorResource.API)
@PermitAll
@UnlessBuildProfile("prod")
public class StripeSimulatorResource {

    static final String API = "/dev/stripe";
    static final String PAGES = "/dev/stripe";
    private static final Logger LOG = Logger.getLogger(StripeSimulatorResource.class);
    /** Stripe sends an update's webhook after answering the call. */
    private static final Duration WEBHOOK_DELAY = Duration.ofMillis(150);

    private final StripeSimulator simulator;
    private final SimulatedMeterEvents meterEvents;
    private final Pool pool;

    public StripeSimulatorResource(StripeSimulator simulator, SimulatedMeterEvents meterEvents, Pool pool) {
        this.simulator = simulator;
        this.meterEvents = meterEvents;
        this.pool = pool;
    }

    // --- Stripe's API ----------------------------------------------------------------------------------

    @POST
    @Path("/v1/customers")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public String createCustomer(String body) {
        refuseWhenOff();
        return simulator.createCustomer(form(body)).toString();
    }

    @POST
    @Path("/v1/checkout/sessions")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public Response createSession(String body, @RestHeader("Idempotency-Key") String key) {
        refuseWhenOff();
        Map<String, String> form = form(body);
        ObjectNode session = simulator.createSession(form, key);
        if (session == null) {
            return stripeError(400, "resource_missing", "No such price: '" + form.get("line_items[0][price]")
                    + "' (the simulator sells the prices of Tollgate's catalog)", "line_items[0][price]");
        }
        return json(session);
    }

    @GET
    @Path("/v1/checkout/sessions/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public Response session(@RestPath String id) {
        refuseWhenOff();
        return simulator.session(id).map(StripeSimulatorResource::json)
                .orElseGet(() -> missing("checkout.session", id));
    }

    @GET
    @Path("/v1/subscriptions/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public Uni<Response> subscription(@RestPath String id) {
        refuseWhenOff();
        return stored(id).map(sub -> sub == null ? missing("subscription", id) : json(sub));
    }

    @POST
    @Path("/v1/subscriptions/{id}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public Uni<Response> updateSubscription(@RestPath String id, String body) {
        refuseWhenOff();
        Map<String, String> form = form(body);
        return stored(id).map(sub -> {
            if (sub == null) {
                return missing("subscription", id);
            }
            StripeSimulator.Updated updated = simulator.update(sub, form);
            sendLater(StripeShapes.event(ScenarioEvents.newEventId(), "customer.subscription.updated",
                    updated.subscription().deepCopy(), StripeSimulator.now(), updated.previous()));
            return json(updated.subscription());
        });
    }

    @DELETE
    @Path("/v1/subscriptions/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public Uni<Response> cancelSubscription(@RestPath String id) {
        refuseWhenOff();
        return stored(id).map(sub -> {
            if (sub == null) {
                return missing("subscription", id);
            }
            ObjectNode canceled = simulator.cancelNow(sub);
            sendLater(StripeShapes.event(ScenarioEvents.newEventId(), "customer.subscription.deleted",
                    canceled.deepCopy(), StripeSimulator.now(), null));
            return json(canceled);
        });
    }

    @POST
    @Path("/v1/billing_portal/sessions")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public String createPortalSession(String body) {
        refuseWhenOff();
        return simulator.createPortalSession(form(body)).toString();
    }

    /** A v2 meter event session: the token the meter event stream below takes. */
    @POST
    @Path("/v2/billing/meter_event_session")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public String createMeterEventSession() {
        refuseWhenOff();
        return meterEvents.createSession().toString();
    }

    /** Up to 100 meter events, each counted once per identifier; an unknown or expired token is Stripe's 401. */
    @POST
    @Path("/v2/billing/meter_event_stream")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public Response meterEventStream(@RestHeader("Authorization") String authorization, String body) {
        refuseWhenOff();
        if (!meterEvents.validSession(authorization)) {
            // Stripe's v2 shape for it, which stripe-java turns into TemporarySessionExpiredException.
            return Response.status(401).type(MediaType.APPLICATION_JSON).entity("{\"error\":{\"type\":"
                    + "\"temporary_session_expired\",\"code\":\"billing_meter_event_session_expired\","
                    + "\"message\":\"The meter event session has expired or is not known: create a new one.\"}}")
                    .build();
        }
        JsonNode events;
        try {
            events = StripeShapes.MAPPER.readTree(body == null ? "" : body);
        } catch (java.io.IOException e) {
            return stripeError(400, "invalid_request", "The body is not JSON.", null);
        }
        if (events == null || !events.path("events").isArray() || events.path("events").size() > 100) {
            return stripeError(400, "invalid_request", "events must be an array of at most 100 meter events.",
                    "events");
        }
        LOG.debugf("Simulated Stripe took %d new meter events", meterEvents.accept(events));
        return Response.ok("{}", MediaType.APPLICATION_JSON).build();
    }

    /** Every other call: Stripe's invalid-request answer, naming what the simulator does not do. */
    @POST
    @Path("/v1/{rest: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public Response notSimulatedPost(@RestPath String rest) {
        return notSimulated("POST", rest);
    }

    @GET
    @Path("/v1/{rest: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public Response notSimulatedGet(@RestPath String rest) {
        return notSimulated("GET", rest);
    }

    // --- The pages ---------------------------------------------------------------------------------------

    @GET
    @Path("/checkout/{id}")
    @Produces(MediaType.TEXT_HTML)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public Response checkoutPage(@RestPath String id) {
        refuseWhenOff();
        ObjectNode session = simulator.session(id).orElseThrow(() -> ProblemException.notFound(
                "There is no simulated Checkout Session " + id + "."));
        return html(SimulatorPages.checkout(session, simulator.item(session), null, false));
    }

    /** The customer pressed Pay, Decline, or answered the authentication step. */
    @POST
    @Path("/checkout/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public Uni<Response> checkoutAction(@RestPath String id, String body) {
        refuseWhenOff();
        ObjectNode session = simulator.session(id).orElseThrow(() -> ProblemException.notFound(
                "There is no simulated Checkout Session " + id + "."));
        StripeSimulator.Item item = simulator.item(session);
        if ("complete".equals(session.path("status").asText())) {
            return Uni.createFrom().item(redirect(successUrl(session)));
        }
        Map<String, String> form = form(body);
        String action = form.getOrDefault("action", "");
        boolean authentication = "on".equals(form.get("authentication")) || "true".equals(form.get("authentication"));
        switch (action) {
            case "pay":
                if (authentication) {
                    return Uni.createFrom().item(html(SimulatorPages.checkout(session, item, null, true)));
                }
                return paid(id);
            case "authenticate":
                return paid(id);
            case "decline":
            case "fail-authentication":
                boolean failedAuthentication = action.equals("fail-authentication");
                return delivered(simulator.decline(id, failedAuthentication)).map(x -> html(SimulatorPages.checkout(
                        session, item, failedAuthentication ? "The provided payment method has failed authentication."
                                : "Your card was declined.",
                        false)));
            default:
                throw ProblemException.badRequest("invalid-action",
                        "action must be pay, decline, authenticate or fail-authentication.");
        }
    }

    @GET
    @Path("/portal/{id}")
    @Produces(MediaType.TEXT_HTML)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public Response portalPage(@RestPath String id) {
        refuseWhenOff();
        ObjectNode portal = simulator.portalSession(id).orElseThrow(() -> ProblemException.notFound(
                "There is no simulated portal session " + id + "."));
        return html(SimulatorPages.portal(portal));
    }

    private Uni<Response> paid(String id) {
        List<ObjectNode> events = simulator.pay(id);
        return delivered(events).map(x -> redirect(successUrl(simulator.session(id).orElseThrow())));
    }

    /** Posts the events (on a worker thread: the sender blocks) and waits until the processor applied them. */
    private Uni<List<DevResource.SentEvent>> delivered(List<ObjectNode> events) {
        return Uni.createFrom().item(() -> simulator.deliver(events))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(sent -> InboxWait.applied(pool, sent));
    }

    /** After the answer, as Stripe does: the event of an API update. */
    private void sendLater(ObjectNode event) {
        Uni.createFrom().voidItem().onItem().delayIt().by(WEBHOOK_DELAY)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(x -> simulator.deliver(List.of(event)))
                .subscribe().with(sent -> LOG.debugf("Simulator sent %s", event.path("type").asText()),
                        failure -> LOG.warnf("Simulator could not send %s: %s", event.path("type").asText(),
                                failure.getMessage()));
    }

    /** What the events said last: the mirror's copy of the subscription (Stripe's object as sent). */
    private Uni<ObjectNode> stored(String id) {
        return pool.preparedQuery("select raw from stripe_subscription where id = $1").execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    try {
                        JsonNode raw = StripeShapes.MAPPER.readTree(rows.iterator().next().getString("raw"));
                        return raw instanceof ObjectNode object ? object : null;
                    } catch (java.io.IOException e) {
                        return null;
                    }
                });
    }

    private static String successUrl(ObjectNode session) {
        return session.path("success_url").asText("").replace("{CHECKOUT_SESSION_ID}", session.path("id").asText());
    }

    private Response notSimulated(String method, String rest) {
        refuseWhenOff();
        return stripeError(400, "simulator_unsupported", "The Tollgate Stripe simulator does not simulate " + method
                + " /v1/" + rest + ". Set STRIPE_SECRET_KEY (a test mode key) to use Stripe itself.", null);
    }

    private void refuseWhenOff() {
        if (!simulator.active() || ProductionRules.apply()) {
            throw ProblemException.notFound("Nothing is served here: the Stripe simulator is off.");
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body == null || body.isBlank()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int at = pair.indexOf('=');
            String name = URLDecoder.decode(at < 0 ? pair : pair.substring(0, at), StandardCharsets.UTF_8);
            String value = at < 0 ? "" : URLDecoder.decode(pair.substring(at + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }

    private static Response json(JsonNode node) {
        return Response.ok(node.toString(), MediaType.APPLICATION_JSON).build();
    }

    private static Response html(String page) {
        return Response.ok(page, MediaType.TEXT_HTML + ";charset=utf-8").build();
    }

    private static Response redirect(String url) {
        return Response.seeOther(URI.create(url)).build();
    }

    private static Response missing(String type, String id) {
        return stripeError(404, "resource_missing", "No such " + type + ": '" + id + "'", "id");
    }

    private static Response stripeError(int status, String code, String message, String param) {
        ObjectNode body = StripeShapes.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("type", "invalid_request_error").put("code", code).put("message", message);
        if (param != null) {
            error.put("param", param);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body.toString()).build();
    }
}
