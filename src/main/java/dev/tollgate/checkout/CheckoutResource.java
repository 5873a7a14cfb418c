package dev.tollgate.checkout;

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

import dev.tollgate.account.Caller;
import dev.tollgate.account.CustomerEmail;
import dev.tollgate.account.Roles;
import dev.tollgate.account.StripeCustomers;
import dev.tollgate.common.ProblemException;
import dev.tollgate.ratelimit.StripeBound;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.stripe.StripeKeys;
import io.smallrye.mutiny.Uni;

/** Starting payments: Checkout for plans and packs, its confirmation, and the Customer Portal. */
@Path("/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Checkout")
public class CheckoutResource {

    private final CheckoutService checkout;
    private final CheckoutConfirmation confirmation;
    private final RedirectUrls redirects;
    private final CheckoutConfig config;
    private final StripeCustomers customers;
    private final StripeApi stripe;
    private final Caller caller;

    public CheckoutResource(CheckoutService checkout, CheckoutConfirmation confirmation,
            RedirectUrls redirects, CheckoutConfig config, StripeCustomers customers,
            StripeApi stripe, Caller caller) {
        this.checkout = checkout;
        this.confirmation = confirmation;
        this.redirects = redirects;
        this.config = config;
        this.customers = customers;
        this.stripe = stripe;
        this.caller = caller;
    }

    /** @param email for a new Stripe customer (else the user token's; a service token's never) */
    public record PortalRequest(String returnUrl, String account, String email) {
    }

    public record PortalSession(String url) {
    }

    @POST
    @Path("/checkout-sessions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound(checksOwnSetup = true)
    @Operation(summary = "Start a Checkout for a plan (subscription) or a credit pack; honours Idempotency-Key")
    public Uni<CheckoutService.Created> create(CheckoutRequest request,
            @RestHeader("Idempotency-Key") String idempotencyKey) {
        if (request == null) {
            throw ProblemException.badRequest("invalid-request", "A JSON body is required.");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ProblemException.badRequest("invalid-idempotency-key", "Idempotency-Key must be 1 to 200 characters.");
        }
        String accountId = caller.accountFor(request.account());
        return checkout.create(accountId, CustomerEmail.of(caller, request.email()), request, idempotencyKey);
    }

    @GET
    @Path("/checkout-sessions/{id}")
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Confirm a Checkout: read it from Stripe and fulfil it now, exactly once")
    public Uni<CheckoutConfirmation.Confirmed> confirm(@RestPath String id) {
        return confirmation.confirm(caller.isService() ? null : caller.accountId(), id);
    }

    @POST
    @Path("/portal-sessions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Open the Stripe Customer Portal")
    public Uni<PortalSession> portal(PortalRequest request) {
        PortalRequest body = request == null ? new PortalRequest(null, null, null) : request;
        String accountId = caller.accountFor(body.account());
        String returnUrl = redirects.check("return_url", body.returnUrl(), config.portalReturnUrl());
        return customers.customerFor(accountId, CustomerEmail.of(caller, body.email()))
                .flatMap(customer -> stripe.post("billing_portal.sessions.create", "/v1/billing_portal/sessions",
                        new StripeForm().add("customer", customer).add("return_url", returnUrl),
                        StripeKeys.of("portal", accountId, java.util.UUID.randomUUID().toString())))
                .map(session -> new PortalSession(session.path("url").asText()));
    }
}
