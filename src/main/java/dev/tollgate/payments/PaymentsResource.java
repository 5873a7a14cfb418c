package dev.tollgate.payments;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.account.Caller;
import dev.tollgate.account.Roles;
import dev.tollgate.common.Paging;
import io.smallrye.mutiny.Uni;

/** Payment history and invoices of the account. */
@Path("/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
@Tag(name = "Payments")
public class PaymentsResource {

    private static final int MAX_LIMIT = 100;

    private final PaymentQueries queries;
    private final Caller caller;

    public PaymentsResource(PaymentQueries queries, Caller caller) {
        this.queries = queries;
        this.caller = caller;
    }

    @GET
    @Path("/payments")
    @Operation(summary = "Payments newest first: amount, status, method, last4, failure reason, refunds")
    public Uni<PaymentQueries.Page<PaymentQueries.Payment>> payments(@RestQuery String account,
            @RestQuery @DefaultValue("20") int limit, @RestQuery @DefaultValue("0") int offset) {
        checkPage(limit, offset);
        return queries.payments(caller.accountFor(account), limit, offset);
    }

    @GET
    @Path("/invoices")
    @Operation(summary = "Invoices newest first, with the hosted page and PDF links")
    public Uni<PaymentQueries.Page<PaymentQueries.Invoice>> invoices(@RestQuery String account,
            @RestQuery @DefaultValue("20") int limit, @RestQuery @DefaultValue("0") int offset) {
        checkPage(limit, offset);
        return queries.invoices(caller.accountFor(account), limit, offset);
    }

    private static void checkPage(int limit, int offset) {
        Paging.check(limit, offset, MAX_LIMIT);
    }
}
