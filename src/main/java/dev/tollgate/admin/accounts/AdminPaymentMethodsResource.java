package dev.tollgate.admin.accounts;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.account.Roles;
import dev.tollgate.paymentmethods.PaymentMethodsService;
import dev.tollgate.ratelimit.StripeBound;
import io.smallrye.mutiny.Uni;

/** The operator removing an account's payment method, even the last one of a live subscription ({@code force}). */
@Path("/v1/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Admin")
public class AdminPaymentMethodsResource {

    private final PaymentMethodsService service;

    public AdminPaymentMethodsResource(PaymentMethodsService service) {
        this.service = service;
    }

    @DELETE
    @Path("/{accountId}/payment-methods/{id}")
    @StripeBound(StripeBound.Scope.OPERATOR)
    @Operation(summary = "Detach one of the account's payment methods; force=true also removes the last one of a"
            + " live subscription (its next renewal then fails unless the customer adds one)")
    public Uni<Response> remove(@RestPath String accountId, @RestPath String id,
            @RestQuery @DefaultValue("false") boolean force) {
        return service.remove(accountId, id, force).map(x -> Response.noContent().build());
    }
}
