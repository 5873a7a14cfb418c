package dev.tollgate.admin.paymentmethods;

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
import dev.tollgate.common.ProblemException;
import dev.tollgate.paymentmethods.PaymentMethodsService;
import dev.tollgate.ratelimit.StripeBound;
import io.smallrye.mutiny.Uni;

/** The operator removing an account's payment method, even the last one of a live subscription ({@code force}). */
@Path("/v1/admin/payment-methods")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Admin")
public class AdminPaymentMethodsResource {

    private final PaymentMethodsService service;

    public AdminPaymentMethodsResource(PaymentMethodsService service) {
        this.service = service;
    }

    @DELETE
    @Path("/{id}")
    @StripeBound(StripeBound.Scope.OPERATOR)
    @Operation(summary = "Detach a payment method of the account (?account=); force=true also removes the last one"
            + " of a live subscription (its next renewal then fails unless the customer saves another)")
    public Uni<Response> remove(@RestPath String id, @RestQuery String account,
            @RestQuery @DefaultValue("false") boolean force) {
        if (account == null || account.isBlank()) {
            throw ProblemException.badRequest("account-required", "account (the account the method belongs to) is"
                    + " required.");
        }
        return service.remove(account, id, force).map(x -> Response.noContent().build());
    }
}
