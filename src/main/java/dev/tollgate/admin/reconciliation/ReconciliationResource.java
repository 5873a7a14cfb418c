package dev.tollgate.admin.reconciliation;

import java.time.OffsetDateTime;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.account.Roles;
import dev.tollgate.common.Json;
import dev.tollgate.common.ProblemException;
import dev.tollgate.ratelimit.StripeBound;
import dev.tollgate.reconciliation.Backfill;
import dev.tollgate.reconciliation.CatchUpCursor;
import dev.tollgate.reconciliation.DriftCheck;
import dev.tollgate.reconciliation.EventsCatchUp;
import dev.tollgate.stripe.StripeGateway;
import io.smallrye.mutiny.Uni;

/** The operator's reconciliation controls: catch-up from the Events API, backfill, drift check. */
@Path("/v1/admin/reconciliation")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Admin")
public class ReconciliationResource {

    private final EventsCatchUp catchUp;
    private final CatchUpCursor cursor;
    private final Backfill backfill;
    private final DriftCheck drift;
    private final StripeGateway stripe;

    public ReconciliationResource(EventsCatchUp catchUp, CatchUpCursor cursor, Backfill backfill, DriftCheck drift,
            StripeGateway stripe) {
        this.catchUp = catchUp;
        this.cursor = cursor;
        this.backfill = backfill;
        this.drift = drift;
        this.stripe = stripe;
    }

    @POST
    @Path("/catch-up")
    @StripeBound(StripeBound.Scope.OPERATOR)
    @Operation(summary = "Run the Events API catch-up now and report what it stored")
    public Uni<EventsCatchUp.Result> runCatchUp() {
        requireStripe();
        return catchUp.runIfFree().map(result -> result.orElseThrow(() -> busy("catch-up")));
    }

    /** Where the catch-up stands: events created before {@code cursor} have been stored in the inbox. */
    public record CursorView(OffsetDateTime cursor, long ageSeconds, String newestEventId,
            OffsetDateTime newestEventCreated) {
    }

    @GET
    @Path("/catch-up")
    @StripeBound.NoStripeCall
    @Operation(summary = "The catch-up cursor: events created before it (minus the overlap) are in the inbox")
    public Uni<CursorView> catchUpCursor() {
        return cursor.load().map(found -> found.map(p -> new CursorView(Json.epoch(p.at()),
                System.currentTimeMillis() / 1000 - p.at(), p.newestEventId(),
                p.newestEventCreated() == null ? null : Json.epoch(p.newestEventCreated())))
                .orElseThrow(() -> ProblemException.notFound("No catch-up has completed yet.")));
    }

    @POST
    @Path("/backfill")
    @StripeBound(StripeBound.Scope.OPERATOR)
    @Operation(summary = "Start importing the Stripe account in the background (202); continues an unfinished run")
    public Uni<Response> startBackfill(@RestQuery @DefaultValue("false") boolean restart) {
        requireStripe();
        return backfill.start(restart).flatMap(started -> {
            if (!started) {
                throw busy("backfill");
            }
            return backfill.status();
        }).map(status -> Response.accepted(status).build());
    }

    @GET
    @Path("/backfill")
    @StripeBound.NoStripeCall
    @Operation(summary = "Backfill progress per resource")
    public Uni<Backfill.Status> backfillStatus() {
        return backfill.status();
    }

    @POST
    @Path("/drift")
    @StripeBound(StripeBound.Scope.OPERATOR)
    @Operation(summary = "Compare subscriptions with Stripe (a random sample, or all) and repair those that differ")
    public Uni<DriftCheck.Result> runDrift(@RestQuery Integer sample) {
        if (sample != null && sample < 1) {
            throw ProblemException.badRequest("invalid-parameter", "sample must be at least 1 (omit it to check all).");
        }
        requireStripe();
        return drift.runIfFree(sample).map(result -> result.orElseThrow(() -> busy("drift check")));
    }

    private void requireStripe() {
        if (!stripe.configured()) {
            throw ProblemException.unavailable("stripe-not-configured", "Stripe is not configured: set STRIPE_SECRET_KEY.");
        }
    }

    private static ProblemException busy(String job) {
        return ProblemException.conflict("reconciliation-running",
                "A " + job + " is already running (in this or another replica); try again when it has finished.");
    }
}
