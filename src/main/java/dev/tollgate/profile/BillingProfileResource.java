package dev.tollgate.profile;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.account.AccountCurrency;
import dev.tollgate.account.Caller;
import dev.tollgate.account.Roles;
import dev.tollgate.catalog.Currencies;
import dev.tollgate.ratelimit.StripeBound;
import dev.tollgate.tax.AutomaticTax;
import dev.tollgate.tax.TaxIds;
import io.smallrye.mutiny.Uni;

/** How the account is billed: the currency it pays in and its tax ids. Read from the mirrors, never from Stripe. */
@Path("/v1/billing/profile")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
@Tag(name = "Subscription")
public class BillingProfileResource {

    private final AccountCurrency currency;
    private final TaxIds taxIds;
    private final AutomaticTax tax;
    private final Currencies currencies;
    private final Caller caller;

    public BillingProfileResource(AccountCurrency currency, TaxIds taxIds, AutomaticTax tax, Currencies currencies,
            Caller caller) {
        this.currency = currency;
        this.taxIds = taxIds;
        this.tax = tax;
        this.currencies = currencies;
        this.caller = caller;
    }

    /**
     * @param currency what the account pays in: the currency Stripe bound it to, else the catalog's
     * @param currencyLocked whether Stripe bound it (a subscription or invoice in it): checkouts in another currency
     *        are then refused
     * @param currencySource where the bound currency was read: customer or paid_invoice; null when not bound
     * @param automaticTax whether Stripe Tax is on (tollgate.tax.automatic)
     */
    public record Profile(String account, String currency, boolean currencyLocked, String currencySource,
            List<TaxIds.TaxId> taxIds, boolean automaticTax) {
    }

    @GET
    @StripeBound.NoStripeCall
    @Operation(summary = "The account's currency (and whether Stripe bound it) and its tax ids")
    public Uni<Profile> profile(@RestQuery String account) {
        String accountId = caller.accountFor(account);
        return Uni.combine().all().unis(currency.of(accountId), taxIds.of(accountId)).asTuple()
                .map(t -> new Profile(accountId,
                        t.getItem1().map(AccountCurrency.Bound::currency).orElse(currencies.defaultCurrency()),
                        t.getItem1().isPresent(), t.getItem1().map(AccountCurrency.Bound::source).orElse(null),
                        t.getItem2(), tax.enabled()));
    }
}
