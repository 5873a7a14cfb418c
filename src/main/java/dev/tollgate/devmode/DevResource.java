package dev.tollgate.devmode;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.account.AuthConfig;
import dev.tollgate.account.Roles;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.common.ProblemException;
import dev.tollgate.config.ProductionRules;
import dev.tollgate.ratelimit.StripeBound;
import dev.tollgate.webhook.WebhookConfig;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Dev mode's shortcuts: a token for any account and role, and a scenario's webhooks sent to this instance, both
 * answered at once instead of a Maven start-up per call (README "The story in dev mode"). Never in production:
 * the production build leaves this class out, and a process under production's rules (a test profile with
 * them) answers 404 as if it did not exist.
 */
@Path("/dev")
@PermitAll
@Tag(name = "Dev mode")
@UnlessBuildProfile("prod")
public class DevResource {

    private static final long MAX_TOKEN_HOURS = 24 * 30;

    private final Catalog catalog;
    private final WebhookConfig webhooks;
    private final AuthConfig auth;
    private final Pool pool;
    private final Optional<String> issuer;
    private final Optional<List<String>> audiences;
    private final String tokenKey;

    public DevResource(Catalog catalog, WebhookConfig webhooks, AuthConfig auth, Pool pool,
            @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer,
            @ConfigProperty(name = "mp.jwt.verify.audiences") Optional<List<String>> audiences,
            @ConfigProperty(name = "tollgate.dev.token-key", defaultValue = "src/test/resources/jwt/privateKey.pem") String tokenKey) {
        this.catalog = catalog;
        this.webhooks = webhooks;
        this.auth = auth;
        this.pool = pool;
        this.issuer = issuer.filter(i -> !i.isBlank() && !i.equals("NONE"));
        this.audiences = audiences;
        this.tokenKey = tokenKey;
    }

    /** One event of a scenario: what was sent, and what became of it. */
    public record SentEvent(String id, String type, String objectId, int httpStatus, String status) {
    }

    public record ScenarioRun(String scenario, String account, List<SentEvent> events) {
    }

    @POST
    @Path("/token")
    @Produces(MediaType.TEXT_PLAIN)
    @StripeBound.NoStripeCall
    @Operation(summary = "Dev mode: a bearer token for an account and role (user, service, admin), valid for `hours`")
    public String token(@RestQuery String account, @RestQuery String role, @RestQuery String email,
            @RestQuery Long hours, @Context UriInfo uri) {
        refuseUnderProductionRules(uri);
        String subject = account == null || account.isBlank() ? "acct-demo" : account;
        String chosenRole = role == null || role.isBlank() ? Roles.USER : role;
        if (!Arrays.asList(Roles.USER, Roles.SERVICE, Roles.ADMIN).contains(chosenRole)) {
            throw ProblemException.badRequest("invalid-role", "role must be user, service or admin.");
        }
        long lifetime = hours == null ? 12 : hours;
        if (lifetime < 1 || lifetime > MAX_TOKEN_HOURS) {
            throw ProblemException.badRequest("invalid-hours", "hours must be from 1 to " + MAX_TOKEN_HOURS + ".");
        }
        return DevTokens.mint(subject, chosenRole, email == null ? subject + "@example.com" : email, lifetime * 3600,
                issuer, audiences, auth.hs256Secret().filter(s -> !s.isBlank()), tokenKey);
    }

    @GET
    @Path("/scenarios")
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(summary = "Dev mode: the scenarios POST /dev/scenarios/{name} plays")
    public List<String> scenarios(@Context UriInfo uri) {
        refuseUnderProductionRules(uri);
        return Arrays.stream(Scenario.values()).map(Scenario::label).toList();
    }

    @POST
    @Path("/scenarios/{name}")
    @Produces(MediaType.APPLICATION_JSON)
    @StripeBound.NoStripeCall
    @Operation(summary = "Dev mode: send a scenario's webhooks (signed, in Stripe's order) to this instance and"
            + " answer once they are applied")
    public Uni<ScenarioRun> play(@RestPath String name, @RestQuery String account, @RestQuery String ref,
            @Context HttpServerRequest request, @Context UriInfo uri) {
        refuseUnderProductionRules(uri);
        Scenario scenario = Scenario.named(name).orElseThrow(() -> ProblemException.notFound(
                "There is no scenario \"" + name + "\"; the scenarios are " + Scenario.labels() + "."));
        String forAccount = account == null || account.isBlank() ? "acct-demo" : account;
        String secret = webhooks.secrets().flatMap(s -> s.stream().filter(v -> !v.isBlank()).findFirst())
                .orElseThrow(() -> ProblemException.unavailable("webhook-secret-missing",
                        "No webhook signing secret is configured: set STRIPE_WEBHOOK_SECRET."));
        List<ObjectNode> events = ScenarioEvents.build(scenario, forAccount, ref, prices(),
                System.currentTimeMillis() / 1000);
        WebhookSender sender = new WebhookSender(webhookUrl(request), secret);
        return Uni.createFrom().item(() -> send(sender, events))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(sent -> InboxWait.applied(pool, sent))
                .map(sent -> new ScenarioRun(scenario.label(), forAccount, sent));
    }

    static List<WebhookSender.Delivery> send(WebhookSender sender, List<ObjectNode> events) {
        try {
            return sender.send(events);
        } catch (IOException e) {
            throw ProblemException.unavailable("webhook-unreachable",
                    "The scenario's webhooks could not be delivered to this instance: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("webhook-unreachable", "Interrupted while delivering the scenario.");
        }
    }

    private ScenarioEvents.Prices prices() {
        ScenarioEvents.Prices defaults = ScenarioEvents.Prices.DEFAULTS;
        String planPrice = catalog.priceFor("pro", Catalog.Interval.MONTHLY).orElse(defaults.planPrice());
        long planAmount = catalog.plan("pro").flatMap(CatalogConfig.Plan::monthlyAmount).orElse(defaults.planAmount());
        Optional<CatalogConfig.Pack> pack = catalog.pack(defaults.pack());
        String packPrice = pack.flatMap(CatalogConfig.Pack::price).filter(p -> !p.isBlank())
                .orElse(defaults.packPrice());
        long packAmount = pack.flatMap(CatalogConfig.Pack::amount).orElse(defaults.packAmount());
        return new ScenarioEvents.Prices(planPrice, planAmount, defaults.pack(), packPrice, packAmount);
    }

    /** This very instance's webhook route, over the connection the request came in on. */
    private static URI webhookUrl(HttpServerRequest request) {
        String host = request.localAddress().host();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        String scheme = request.isSSL() ? "https" : "http";
        return URI.create(scheme + "://" + host + ":" + request.localAddress().port() + "/v1/webhooks/stripe");
    }

    /** The same answer as any path nothing is served at (ProblemMappers), so production does not reveal them. */
    private static void refuseUnderProductionRules(UriInfo uri) {
        if (ProductionRules.apply()) {
            throw ProblemException.notFound("Nothing is served at /" + uri.getPath().replaceFirst("^/", "") + ".");
        }
    }
}
