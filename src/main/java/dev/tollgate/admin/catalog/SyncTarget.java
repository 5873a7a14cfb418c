package dev.tollgate.admin.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogConfig;

/**
 * One price the catalog sells: a plan's interval or a credit pack, with the Stripe names catalog sync
 * finds and creates it under. A plan interval with neither a price id nor an amount is not sold and has no
 * target.
 *
 * @param interval monthly or yearly for plans, null for packs
 * @param configuredPrice the price id in the configuration, if any
 * @param amountKey the configuration key of the amount, named when it is missing
 */
record SyncTarget(String kind, String id, Catalog.Interval interval, String name, Optional<String> configuredPrice,
        Optional<Long> amount, String amountKey, String priceKey) {

    static final String PLAN = "plan";
    static final String PACK = "pack";

    static List<SyncTarget> of(CatalogConfig config) {
        List<SyncTarget> targets = new ArrayList<>();
        new TreeMap<>(config.plans()).forEach((id, plan) -> {
            add(targets, id, plan, Catalog.Interval.MONTHLY, plan.monthlyPrice(), plan.monthlyAmount());
            add(targets, id, plan, Catalog.Interval.YEARLY, plan.yearlyPrice(), plan.yearlyAmount());
        });
        new TreeMap<>(config.packs()).forEach((id, pack) -> {
            Optional<String> price = pack.price().filter(p -> !p.isBlank());
            if (price.isPresent() || pack.amount().isPresent()) {
                targets.add(new SyncTarget(PACK, id, null, pack.name(), price, pack.amount(),
                        "tollgate.catalog.packs." + id + ".amount", "tollgate.catalog.packs." + id + ".price"));
            }
        });
        return targets;
    }

    private static void add(List<SyncTarget> targets, String id, CatalogConfig.Plan plan, Catalog.Interval interval,
            Optional<String> price, Optional<Long> amount) {
        Optional<String> configured = price.filter(p -> !p.isBlank());
        if (configured.isEmpty() && amount.isEmpty()) {
            return;
        }
        String name = interval.name().toLowerCase(Locale.ROOT);
        String prefix = "tollgate.catalog.plans." + id + "." + name;
        targets.add(new SyncTarget(PLAN, id, interval, plan.name(), configured, amount, prefix + "-amount",
                prefix + "-price"));
    }

    String intervalName() {
        return interval == null ? null : interval.name().toLowerCase(Locale.ROOT);
    }

    /** The lookup_key Tollgate gives the prices it creates: tollgate_plan_pro_monthly, tollgate_pack_small. */
    String lookupKey() {
        return "tollgate_" + kind + "_" + id + (interval == null ? "" : "_" + intervalName());
    }

    /** The product id Tollgate gives the products it creates (Stripe accepts a chosen id): tollgate_plan_pro. */
    String productId() {
        return "tollgate_" + kind + "_" + id;
    }

    /** Metadata on created products and prices, so people and tools can tell what they are for. */
    Map<String, String> metadata() {
        Map<String, String> metadata = new TreeMap<>();
        metadata.put("tollgate_" + kind, id);
        if (interval != null) {
            metadata.put("tollgate_interval", intervalName());
        }
        return metadata;
    }

    /** Stripe's recurring interval for plans. */
    String recurringInterval() {
        return interval == Catalog.Interval.YEARLY ? "year" : "month";
    }
}
