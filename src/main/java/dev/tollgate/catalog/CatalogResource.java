package dev.tollgate.catalog;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tollgate.config.ProductionRules;
import dev.tollgate.ratelimit.StripeBound;
import dev.tollgate.stripe.StripeConfig;
import dev.tollgate.stripe.StripeGateway;

/** What the pricing page needs before anyone signs in: keys, currency, plans and packs. */
@Path("/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "Catalog")
public class CatalogResource {

    private final CatalogConfig catalog;
    private final StripeConfig stripeConfig;
    private final StripeGateway stripe;
    private final Catalog lookup;
    private final Currencies currencies;

    public CatalogResource(CatalogConfig catalog, StripeConfig stripeConfig, StripeGateway stripe, Catalog lookup,
            Currencies currencies) {
        this.lookup = lookup;
        this.currencies = currencies;
        this.catalog = catalog;
        this.stripeConfig = stripeConfig;
        this.stripe = stripe;
    }

    /** Public billing settings for the frontend. */
    public record BillingConfig(String publishableKey, String currency, boolean paymentsEnabled) {
    }

    /**
     * One sellable interval of a plan. {@code currency}: the one {@code amount} is in (the requested one when
     * offered, else the catalog's); {@code currencies}: every currency it is sold in.
     */
    public record PlanPrice(String interval, long amount, String currency, List<String> currencies) {
    }

    /**
     * {@code periodCreditsExpire}: a period's credits lapse when the period ends. {@code missingSettings} (dev mode
     * and tests only): the price variables checkout of this plan still needs.
     */
    public record PlanView(String id, String name, List<PlanPrice> prices, int trialDays, Map<String, Boolean> features,
            Map<String, Long> limits, long creditsPerPeriod, boolean periodCreditsExpire,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> missingSettings,
            @JsonInclude(JsonInclude.Include.NON_NULL) SeatTerms perSeat) {
    }

    /** A per-seat plan's terms: amounts are per seat; max is null without a cap; adjustable on Checkout's page. */
    public record SeatTerms(int min, Integer max, boolean adjustable) {
    }

    /** {@code expiresAfterDays}: how long bought credits last, null when they never expire. */
    public record PackView(String id, String name, long credits, long amount, String currency, Long expiresAfterDays,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> missingSettings, List<String> currencies) {
    }

    /** {@code currency}: the currency asked for (else the catalog's); each price says the one it is shown in. */
    public record Plans(List<PlanView> plans, List<PackView> packs, String currency) {
    }

    @GET
    @Path("/config")
    @StripeBound.NoStripeCall
    @Operation(summary = "Publishable key, currency and whether payments can be taken")
    public BillingConfig config() {
        return new BillingConfig(stripeConfig.publishableKey().filter(k -> !k.isBlank()).orElse(null),
                catalog.currency(), stripe.configured());
    }

    @GET
    @Path("/plans")
    @StripeBound.NoStripeCall
    @Operation(summary = "Plans with their intervals and amounts, and credit packs; currency=eur shows the amounts in"
            + " that currency wherever it is offered (each price names the currency it is shown in)")
    public Plans plans(@RestQuery String currency) {
        String requested = Currencies.parse(currency);
        List<PlanView> plans = catalog.plans().entrySet().stream()
                .map(e -> plan(e.getKey(), e.getValue(), requested))
                .sorted(Comparator.comparingLong(PlanView::creditsPerPeriod).thenComparing(PlanView::id))
                .toList();
        List<PackView> packs = catalog.packs().entrySet().stream()
                .map(e -> pack(e.getKey(), e.getValue(), requested))
                .sorted(Comparator.comparingLong(PackView::credits))
                .toList();
        return new Plans(plans, packs, requested != null ? requested : currencies.defaultCurrency());
    }

    private PackView pack(String id, CatalogConfig.Pack pack, String requested) {
        Map<String, java.util.Optional<Long>> amounts = currencies.packAmounts(id);
        String shown = currencies.shown(requested, amounts);
        return new PackView(id, pack.name(), pack.credits(), amounts.get(shown).orElse(0L), shown,
                pack.expiresAfter().map(java.time.Duration::toDays).orElse(null),
                explainMissing() ? lookup.missingPackSettings(id) : List.of(), List.copyOf(amounts.keySet()));
    }

    private PlanPrice price(String id, Catalog.Interval interval, String requested) {
        Map<String, java.util.Optional<Long>> amounts = currencies.planAmounts(id, interval);
        String shown = currencies.shown(requested, amounts);
        return new PlanPrice(interval.name().toLowerCase(java.util.Locale.ROOT), amounts.get(shown).orElse(0L), shown,
                List.copyOf(amounts.keySet()));
    }

    private PlanView plan(String id, CatalogConfig.Plan plan, String requested) {
        List<PlanPrice> prices = new java.util.ArrayList<>();
        if (plan.monthlyPrice().filter(p -> !p.isBlank()).isPresent()) {
            prices.add(price(id, Catalog.Interval.MONTHLY, requested));
        }
        if (plan.yearlyPrice().filter(p -> !p.isBlank()).isPresent()) {
            prices.add(price(id, Catalog.Interval.YEARLY, requested));
        }
        List<String> missing = new java.util.ArrayList<>();
        if (explainMissing()) {
            for (Catalog.Interval interval : Catalog.Interval.values()) {
                if (lookup.sells(id, interval)) {
                    missing.addAll(lookup.missingPriceSettings(id, interval));
                }
            }
        }
        return new PlanView(id, plan.name(), prices, plan.trialDays(), new TreeMap<>(plan.features()),
                new TreeMap<>(plan.limits()), plan.creditsPerPeriod(), plan.periodCreditsExpire(), missing,
                plan.perSeat() ? new SeatTerms(plan.minSeats(), plan.maxSeats().orElse(null), plan.adjustableSeats())
                        : null);
    }

    /** Setting names help a developer; production does not tell the public what its operator left unset. */
    private static boolean explainMissing() {
        return !ProductionRules.apply();
    }
}
