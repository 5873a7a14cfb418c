package dev.tollgate.admin.refunds;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;

import dev.tollgate.account.Roles;
import dev.tollgate.common.ProblemException;
import dev.tollgate.ratelimit.StripeBound;
import dev.tollgate.refunds.Refunds;
import io.smallrye.mutiny.Uni;

/**
 * Refunds by an operator or by the product's backend (service token: support tooling refunds without an
 * operator). The only /v1/admin operation a service token may call; AdminAccessTest lists it as such.
 */
@Path("/v1/admin/refunds")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.ADMIN, Roles.SERVICE })
@Tag(name = "Admin")
public class AdminRefundsResource {

    private final Refunds refunds;

    public AdminRefundsResource(Refunds refunds) {
        this.refunds = refunds;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @StripeBound(StripeBound.Scope.OPERATOR)
    @Operation(summary = "Refund a payment (payment intent) or a charge, fully or partly (amount), with a reason;"
            + " requires Idempotency-Key (a repeat refunds nothing more). Credits bought are clawed back once,"
            + " proportionally")
    public Uni<Refunds.Refund> refund(Refunds.RefundRequest request, @RestHeader("Idempotency-Key") String key) {
        if (key == null || key.isBlank() || key.length() > 200) {
            throw ProblemException.badRequest("invalid-idempotency-key",
                    "An Idempotency-Key header of 1 to 200 characters is required: it makes a repeated refund"
                            + " request refund nothing more.");
        }
        Refunds.form(request);
        return refunds.refund(request, key);
    }
}
