package dev.tollgate.admin.endpoint;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import dev.tollgate.account.Roles;
import dev.tollgate.ratelimit.StripeBound;
import io.smallrye.mutiny.Uni;

/** Points Stripe at this Tollgate: the webhook endpoint with the handled event types and the expected API version. */
@Path("/v1/admin/webhook-endpoint")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Admin")
public class AdminWebhookEndpointResource {

    private final WebhookEndpointSetup setup;

    public AdminWebhookEndpointResource(WebhookEndpointSetup setup) {
        this.setup = setup;
    }

    public record EndpointRequest(String url) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @StripeBound(StripeBound.Scope.OPERATOR)
    @Operation(summary = "Create (201, with the signing secret shown once) or update (200, the secret stays valid)"
            + " the Stripe webhook endpoint for a URL, with every handled event type")
    @APIResponse(responseCode = "201", description = "Created; the body carries the signing secret, shown only now")
    @APIResponse(responseCode = "200", description = "Updated; the existing signing secret stays valid")
    @APIResponse(responseCode = "400", description = "Not an https URL (or http://localhost) (application/problem+json)")
    public Uni<RestResponse<WebhookEndpointSetup.Result>> setUp(EndpointRequest request) {
        String url = WebhookUrl.check(request == null ? null : request.url());
        return setup.setUp(url).map(result -> RestResponse.ResponseBuilder
                .create("created".equals(result.action()) ? RestResponse.Status.CREATED : RestResponse.Status.OK,
                        result)
                // The answer may carry the signing secret: no cache may keep it.
                .header("Cache-Control", "no-store").build());
    }
}
