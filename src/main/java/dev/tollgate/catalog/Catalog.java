package dev.tollgate.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/** Lookups over the configured catalog: which plan or pack a Stripe price id belongs to. */
@ApplicationScoped
public class Catalog {

    public enum Interval {
        MONTHLY,
        YEARLY;

        /** "monthly" or "yearly" from a request; monthly when absent; 400 otherwise. */
        public static Interval parse(String value) {
            if (value == null || value.isBlank()) {
                return MONTHLY;
            }
            try {
                return valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw dev.tollgate.common.ProblemException.badRequest("invalid-interval",
                        "interval must be monthly or yearly.");
            }
        }
    }

    /** A plan and interval a Stripe price id stands for. */
    public record PlanPrice(String planId, CatalogConfig.Plan plan, Interval interval) {
    }

    /** A credit pack a Stripe price id stands for. */
    public record PackPrice(String packId, CatalogConfig.Pack pack) {
    }

    private final CatalogConfig config;
    private final Map<String, PlanPrice> plansByPrice = new HashMap<>();
    private final Map<String, PackPrice> packsByPrice = new HashMap<>();
    private volatile boolean placeholdersSimulated;

    public Catalog(CatalogConfig config) {
        this.config = config;
        config.plans().forEach((id, plan) -> {
            plan.monthlyPrice().filter(p -> !p.isBlank())
                    .ifPresent(p -> plansByPrice.put(p, new PlanPrice(id, plan, Interval.MONTHLY)));
            plan.yearlyPrice().filter(p -> !p.isBlank())
                    .ifPresent(p -> plansByPrice.put(p, new PlanPrice(id, plan, Interval.YEARLY)));
        });
        config.packs().forEach((id, pack) -> pack.price().filter(p -> !p.isBlank())
                .ifPresent(p -> packsByPrice.put(p, new PackPrice(id, pack))));
    }

    /** Whether any sold plan grants credits each period (else paid invoices need no credit lookup). */
    public boolean grantsPeriodCredits() {
        return plansByPrice.values().stream().anyMatch(p -> p.plan().creditsPerPeriod() > 0);
    }

    public CatalogConfig config() {
        return config;
    }

    public Optional<CatalogConfig.Plan> plan(String planId) {
        return Optional.ofNullable(config.plans().get(planId));
    }

    public Optional<CatalogConfig.Pack> pack(String packId) {
        return Optional.ofNullable(config.packs().get(packId));
    }

    public Optional<PlanPrice> planForPrice(String priceId) {
        return Optional.ofNullable(priceId == null ? null : plansByPrice.get(priceId));
    }

    public Optional<PackPrice> packForPrice(String priceId) {
        return Optional.ofNullable(priceId == null ? null : packsByPrice.get(priceId));
    }

    /**
     * The environment variables a Stripe call selling this plan interval still needs: its price variable when
     * the price is unset or a placeholder; empty when the price is real or the plan is not sold at that interval
     * at all ({@link #sells}).
     */
    public List<String> missingPriceSettings(String planId, Interval interval) {
        String name = interval.name().toLowerCase(Locale.ROOT);
        Optional<String> price = priceFor(planId, interval);
        if (price.isPresent() && !placeholder(price.get())) {
            return List.of();
        }
        return List.of(PriceSettings.variable("tollgate.catalog.plans." + planId + "." + name + "-price",
                "STRIPE_PRICE_" + PriceSettings.upper(planId) + "_" + PriceSettings.upper(name)));
    }

    /** As {@link #missingPriceSettings(String, Interval)}, for a credit pack. */
    public List<String> missingPackSettings(String packId) {
        Optional<String> price = pack(packId).flatMap(CatalogConfig.Pack::price).filter(p -> !p.isBlank());
        if (price.isPresent() && !placeholder(price.get())) {
            return List.of();
        }
        return List.of(PriceSettings.variable("tollgate.catalog.packs." + packId + ".price",
                "STRIPE_PRICE_PACK_" + PriceSettings.upper(packId)));
    }

    /**
     * Whether the plan is meant to be sold at this interval: it has a price id, a price setting (even one whose
     * variable is unset) or an amount. The default plan has none of them.
     */
    public boolean sells(String planId, Interval interval) {
        String name = interval.name().toLowerCase(Locale.ROOT);
        Optional<CatalogConfig.Plan> plan = plan(planId);
        if (plan.isEmpty()) {
            return false;
        }
        Optional<Long> amount = interval == Interval.MONTHLY ? plan.get().monthlyAmount() : plan.get().yearlyAmount();
        return priceFor(planId, interval).isPresent() || amount.isPresent()
                || PriceSettings.declared("tollgate.catalog.plans." + planId + "." + name + "-price");
    }

    /** A stand-in price id (dev mode's defaults), never sent to Stripe. */
    public boolean placeholder(String priceId) {
        return !placeholdersSimulated && config.placeholderPrices().map(p -> p.contains(priceId)).orElse(false);
    }

    /**
     * Dev mode's Stripe simulator sells the placeholder prices: they stop counting as missing settings (only the
     * simulator calls this, never under production's rules).
     */
    public void simulatePlaceholderPrices() {
        placeholdersSimulated = true;
    }

    /** The Stripe price id for a plan and interval, if that combination is sold. */
    public Optional<String> priceFor(String planId, Interval interval) {
        return plan(planId).flatMap(p -> interval == Interval.MONTHLY ? p.monthlyPrice() : p.yearlyPrice())
                .filter(p -> !p.isBlank());
    }
}
