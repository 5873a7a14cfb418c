package dev.tollgate.subscription;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.account.Caller;
import dev.tollgate.account.Roles;
import dev.tollgate.catalog.Catalog;
import io.smallrye.mutiny.Uni;

/** The account's subscription as the frontend shows it; an account without one gets the default plan, not a 404. */
@Path("/v1/billing/subscription")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
@Tag(name = "Subscription")
public class SubscriptionResource {

    private final SubscriptionQueries subscriptions;
    private final Catalog catalog;
    private final Caller caller;

    public SubscriptionResource(SubscriptionQueries subscriptions, Catalog catalog, Caller caller) {
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.caller = caller;
    }

    public record SubscriptionView(String account, String id, String plan, String interval, String status,
            OffsetDateTime currentPeriodEnd, Long daysRemaining, OffsetDateTime trialEnd, boolean cancelAtPeriodEnd,
            OffsetDateTime cancelAt, Long quantity) {
    }

    @GET
    @Operation(summary = "Plan, interval, status, period end, days remaining, trial end, cancellation")
    public Uni<SubscriptionView> current(@RestQuery String account) {
        String accountId = caller.accountFor(account);
        return subscriptions.current(accountId).map(found -> view(accountId, found));
    }

    private SubscriptionView view(String accountId, Optional<CurrentSubscription> found) {
        if (found.isEmpty()) {
            return new SubscriptionView(accountId, null, catalog.config().defaultPlan(), null, "none", null, null, null,
                    false, null, null);
        }
        CurrentSubscription s = found.get();
        Optional<Catalog.PlanPrice> price = catalog.planForPrice(s.priceId());
        Long days = s.currentPeriodEnd() == null
                ? null
                : Math.max(0, Duration.between(OffsetDateTime.now(ZoneOffset.UTC), s.currentPeriodEnd()).toDays());
        return new SubscriptionView(accountId, s.id(), price.map(Catalog.PlanPrice::planId).orElse(null),
                price.map(p -> p.interval().name().toLowerCase(java.util.Locale.ROOT)).orElse(null), s.status(),
                s.currentPeriodEnd(), days, s.trialEnd(), s.cancelAtPeriodEnd(), s.cancelAt(), s.quantity());
    }
}
