package dev.tollgate.subscription;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

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
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.account.Caller;
import dev.tollgate.account.Roles;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.Seats;
import dev.tollgate.common.ProblemException;
import dev.tollgate.invoices.PaymentAction;
import dev.tollgate.invoices.PaymentActionQueries;
import dev.tollgate.ratelimit.StripeBound;
import io.smallrye.mutiny.Uni;

/** The account's subscription as the frontend shows it; an account without one gets the default plan, not a 404. */
@Path("/v1/billing/subscription")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
@Tag(name = "Subscription")
public class SubscriptionResource {

    private final SubscriptionQueries subscriptions;
    private final SubscriptionManagement management;
    private final Catalog catalog;
    private final Caller caller;
    private final SubscriptionSeats seats;
    private final SubscriptionDiscounts discounts;
    private final DiscountQueries discountQueries;
    private final PaymentActionQueries actions;

    public SubscriptionResource(SubscriptionQueries subscriptions, SubscriptionManagement management, Catalog catalog,
            Caller caller, SubscriptionSeats seats, SubscriptionDiscounts discounts, DiscountQueries discountQueries,
            PaymentActionQueries actions) {
        this.actions = actions;
        this.subscriptions = subscriptions;
        this.management = management;
        this.catalog = catalog;
        this.caller = caller;
        this.seats = seats;
        this.discounts = discounts;
        this.discountQueries = discountQueries;
    }

    public record SubscriptionView(String account, String id, String plan, String interval, String status,
            OffsetDateTime currentPeriodEnd, Long daysRemaining, OffsetDateTime trialEnd, boolean cancelAtPeriodEnd,
            OffsetDateTime cancelAt, Long quantity, Long seats, DiscountQueries.Discount discount,
            PaymentAction action) {
    }

    /** @param prorationDate the proration_date of a preview with these seats, to charge exactly what it showed */
    public record SeatsRequest(Integer seats, String proration, Long prorationDate, String account) {
    }

    /** @param promotionCode the code as the customer types it (e.g. SUMMER20), or a promo_ id */
    public record DiscountRequest(String promotionCode, String account) {
    }

    public record CancelRequest(Boolean atPeriodEnd, String account) {
    }

    /** @param prorationDate the proration_date of POST /subscription/preview, to charge exactly what it showed */
    public record ChangeRequest(String plan, String interval, String proration, Long prorationDate, String account) {
    }

    public record AccountRequest(String account) {
    }

    @POST
    @Path("/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Cancel at period end (default) or now; answers the updated subscription")
    public Uni<SubscriptionView> cancel(CancelRequest request) {
        CancelRequest body = request == null ? new CancelRequest(null, null) : request;
        String accountId = caller.accountFor(body.account());
        return management.cancel(accountId, !Boolean.FALSE.equals(body.atPeriodEnd()))
                .flatMap(x -> viewOf(accountId));
    }

    @POST
    @Path("/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Undo a scheduled cancellation, or resume a paused subscription")
    public Uni<SubscriptionView> resume(AccountRequest request) {
        String accountId = caller.accountFor(request == null ? null : request.account());
        return management.resume(accountId).flatMap(x -> viewOf(accountId));
    }

    @POST
    @Path("/change")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Change plan or interval, with a proration behaviour")
    public Uni<SubscriptionView> change(ChangeRequest request) {
        if (request == null || request.plan() == null || request.plan().isBlank()) {
            throw ProblemException.badRequest("invalid-request", "plan is required.");
        }
        String accountId = caller.accountFor(request.account());
        return management.change(accountId, request.plan(), request.interval(), request.proration(),
                request.prorationDate())
                .flatMap(x -> viewOf(accountId));
    }

    @POST
    @Path("/seats")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Change the seat count of a per-seat plan, with a proration behaviour")
    public Uni<SubscriptionView> seats(SeatsRequest request) {
        if (request == null || request.seats() == null) {
            throw ProblemException.badRequest("invalid-request", "seats is required.");
        }
        String accountId = caller.accountFor(request.account());
        return seats.change(accountId, request.seats(), request.proration(), request.prorationDate())
                .flatMap(x -> viewOf(accountId));
    }

    @POST
    @Path("/discount")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Apply a promotion code to the subscription (replacing its own discount)")
    public Uni<SubscriptionView> applyDiscount(DiscountRequest request) {
        if (request == null || request.promotionCode() == null || request.promotionCode().isBlank()) {
            throw ProblemException.badRequest("invalid-request", "promotion_code is required.");
        }
        String accountId = caller.accountFor(request.account());
        return discounts.apply(accountId, request.promotionCode()).flatMap(x -> viewOf(accountId));
    }

    @DELETE
    @Path("/discount")
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Remove the subscription's own discount")
    public Uni<SubscriptionView> removeDiscount(@RestQuery String account) {
        String accountId = caller.accountFor(account);
        return discounts.remove(accountId).flatMap(x -> viewOf(accountId));
    }

    @GET
    @StripeBound.NoStripeCall
    @Operation(summary = "Plan, interval, status, period end, days remaining, trial end, cancellation, seats, discount")
    public Uni<SubscriptionView> current(@RestQuery String account) {
        return viewOf(caller.accountFor(account));
    }

    /** With the payment the customer must confirm (SCA), while one is pending: see PaymentActionQueries. */
    private Uni<SubscriptionView> viewOf(String accountId) {
        return Uni.combine().all().unis(subscriptions.current(accountId), actions.pending(accountId)).asTuple()
                .flatMap(t -> {
                    Optional<CurrentSubscription> found = t.getItem1();
                    PaymentAction action = t.getItem2().orElse(null);
                    return found.isEmpty() ? Uni.createFrom().item(view(accountId, found, Optional.empty(), action))
                            : discountQueries.active(found.get().id(), found.get().customerId())
                                    .map(discount -> view(accountId, found, discount, action));
                });
    }

    private SubscriptionView view(String accountId, Optional<CurrentSubscription> found,
            Optional<DiscountQueries.Discount> discount, PaymentAction action) {
        if (found.isEmpty()) {
            return new SubscriptionView(accountId, null, catalog.config().defaultPlan(), null, "none", null, null, null,
                    false, null, null, null, null, action);
        }
        CurrentSubscription s = found.get();
        Optional<Catalog.PlanPrice> price = catalog.planForPrice(s.priceId());
        Long days = s.currentPeriodEnd() == null
                ? null
                : Math.max(0, Duration.between(OffsetDateTime.now(ZoneOffset.UTC), s.currentPeriodEnd()).toDays());
        return new SubscriptionView(accountId, s.id(), price.map(Catalog.PlanPrice::planId).orElse(null),
                price.map(p -> p.interval().name().toLowerCase(java.util.Locale.ROOT)).orElse(null), s.status(),
                s.currentPeriodEnd(), days, s.trialEnd(), s.cancelAtPeriodEnd(), s.cancelAt(), s.quantity(),
                price.map(p -> Seats.of(p.plan(), s.quantity())).orElse(null), discount.orElse(null), action);
    }
}
