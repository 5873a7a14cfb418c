package dev.tollgate.paymentmethods;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

import dev.tollgate.account.Caller;
import dev.tollgate.account.CustomerEmail;
import dev.tollgate.account.Roles;
import dev.tollgate.common.ProblemException;
import dev.tollgate.ratelimit.StripeBound;
import io.smallrye.mutiny.Uni;

/** The account's saved payment methods: list, save a new one (SetupIntent), choose the default, remove. */
@Path("/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Payment methods")
public class PaymentMethodsResource {

    private final PaymentMethodsService service;
    private final PaymentMethodQueries methods;
    private final Caller caller;

    public PaymentMethodsResource(PaymentMethodsService service, PaymentMethodQueries methods, Caller caller) {
        this.service = service;
        this.methods = methods;
        this.caller = caller;
    }

    public record PaymentMethods(List<PaymentMethodQueries.PaymentMethod> items) {
    }

    public record AccountRequest(String account, String email) {
    }

    @GET
    @Path("/payment-methods")
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @StripeBound.NoStripeCall
    @Operation(summary = "The account's saved payment methods (type, brand, last4, expiry, whether default)")
    public Uni<PaymentMethods> list(@RestQuery String account) {
        return methods.list(caller.accountFor(account)).map(PaymentMethods::new);
    }

    @POST
    @Path("/setup-intents")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "A SetupIntent to save a card for off-session renewals → client_secret for Stripe.js;"
            + " honours Idempotency-Key")
    public Uni<PaymentMethodsService.SetupIntent> setupIntent(AccountRequest request,
            @RestHeader("Idempotency-Key") String idempotencyKey) {
        AccountRequest body = request == null ? new AccountRequest(null, null) : request;
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ProblemException.badRequest("invalid-idempotency-key", "Idempotency-Key must be 1 to 200 characters.");
        }
        String accountId = caller.accountFor(body.account());
        return service.setupIntent(accountId, CustomerEmail.of(caller, body.email()), idempotencyKey);
    }

    @POST
    @Path("/payment-methods/{id}/default")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Make a saved payment method the default of the customer and of the live subscription")
    public Uni<PaymentMethods> makeDefault(@RestPath String id, AccountRequest request) {
        String accountId = caller.accountFor(request == null ? null : request.account());
        return service.makeDefault(accountId, id).flatMap(x -> methods.list(accountId)).map(PaymentMethods::new);
    }

    @DELETE
    @Path("/payment-methods/{id}")
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Remove a saved payment method; 409 for the last one of a live subscription")
    public Uni<PaymentMethods> remove(@RestPath String id, @RestQuery String account) {
        String accountId = caller.accountFor(account);
        return service.remove(accountId, id, false).flatMap(x -> methods.list(accountId)).map(PaymentMethods::new);
    }
}
