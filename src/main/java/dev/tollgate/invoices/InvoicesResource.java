package dev.tollgate.invoices;

import java.io.IOException;
import java.io.UncheckedIOException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.account.Caller;
import dev.tollgate.account.Roles;
import dev.tollgate.common.ProblemException;
import dev.tollgate.ratelimit.StripeBound;
import io.smallrye.mutiny.Uni;

/** One invoice of the account (a receipt), and paying an open one now. */
@Path("/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invoices")
public class InvoicesResource {

    private final InvoiceQueries invoices;
    private final InvoicePayments payments;
    private final Caller caller;
    private final ObjectMapper mapper;

    public InvoicesResource(InvoiceQueries invoices, InvoicePayments payments, Caller caller, ObjectMapper mapper) {
        this.invoices = invoices;
        this.payments = payments;
        this.caller = caller;
        this.mapper = mapper;
    }

    /** @param paymentMethod a saved payment method of the account (pm_...); absent: the customer's default */
    public record PayRequest(String paymentMethod, String account) {
    }

    @GET
    @Path("/invoices/{id}")
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @StripeBound.NoStripeCall
    @Operation(summary = "One of the account's invoices: lines, subtotal, tax, total, amounts, hosted page and PDF")
    public Uni<InvoiceDetail> invoice(@RestPath String id, @RestQuery String account) {
        String accountId = caller.accountFor(account);
        return invoices.own(accountId, id).map(found -> InvoiceDetail.of(parse(found.orElseThrow(
                () -> ProblemException.notFound("The account has no invoice " + id + ".")))));
    }

    @POST
    @Path("/invoices/{id}/pay")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Pay an open invoice now with the default or a saved payment method; answers the new"
            + " status, or the client secret to confirm when the card needs authentication; honours Idempotency-Key")
    public Uni<InvoicePayments.PayResult> pay(@RestPath String id, PayRequest request,
            @RestHeader("Idempotency-Key") String idempotencyKey) {
        PayRequest body = request == null ? new PayRequest(null, null) : request;
        String accountId = caller.accountFor(body.account());
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ProblemException.badRequest("invalid-idempotency-key", "Idempotency-Key must be 1 to 200 characters.");
        }
        if (body.paymentMethod() != null && body.paymentMethod().isBlank()) {
            throw ProblemException.badRequest("invalid-request", "payment_method must be a saved payment method id.");
        }
        return payments.pay(accountId, id, body.paymentMethod(), idempotencyKey);
    }

    private com.fasterxml.jackson.databind.JsonNode parse(String raw) {
        try {
            return mapper.readTree(raw);
        } catch (IOException e) {
            throw new UncheckedIOException("A mirrored invoice is not JSON", e);
        }
    }
}
