package dev.tollgate.subscription;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.account.Caller;
import dev.tollgate.account.Roles;
import dev.tollgate.ratelimit.StripeBound;
import io.smallrye.mutiny.Uni;

/** POST /v1/billing/subscription/preview: what a change would cost, before the customer confirms it. */
@Path("/v1/billing/subscription/preview")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Subscription")
public class SubscriptionPreviewResource {

    /**
     * @param plan null: the current plan (to preview an interval change)
     * @param seats for a per-seat plan: the seat count to preview (null: the current quantity)
     */
    public record PreviewRequest(String plan, String interval, String proration, String account, Integer seats) {
    }

    private final SubscriptionPreview previews;
    private final Caller caller;

    public SubscriptionPreviewResource(SubscriptionPreview previews, Caller caller) {
        this.previews = previews;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Preview a plan, interval or seat change: amount due now, next invoice, proration lines, tax")
    public Uni<SubscriptionPreview.Preview> preview(PreviewRequest request) {
        PreviewRequest body = request == null ? new PreviewRequest(null, null, null, null, null) : request;
        return previews.of(caller.accountFor(body.account()), body.plan(), body.interval(), body.proration(),
                body.seats());
    }
}
