package dev.tollgate.catalog;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.common.ProblemException;

/**
 * The currencies each plan interval and pack is sold in: the catalog's own currency (the price's currency) and
 * those with an amount under currency-amounts (the price's currency_options in Stripe).
 */
@ApplicationScoped
public class Currencies {

    private static final Pattern CODE = Pattern.compile("[A-Za-z]{3}");

    private final CatalogConfig config;

    public Currencies(CatalogConfig config) {
        this.config = config;
    }

    /** The catalog's currency, lower case. */
    public String defaultCurrency() {
        return config.currency().toLowerCase(Locale.ROOT);
    }

    /**
     * A currency a request names, lower case like Stripe's; null when absent; 400 when it is not a three-letter
     * ISO code.
     */
    public static String parse(String requested) {
        if (requested == null || requested.isBlank()) {
            return null;
        }
        if (!CODE.matcher(requested).matches()) {
            throw ProblemException.badRequest("invalid-currency",
                    "currency must be a three-letter ISO currency code such as eur.");
        }
        return requested.toLowerCase(Locale.ROOT);
    }

    /**
     * A plan interval's amount per currency, the catalog's currency first (its amount absent when only the price id
     * is configured), then the others in alphabetical order.
     */
    public Map<String, Optional<Long>> planAmounts(String planId, Catalog.Interval interval) {
        Map<String, Optional<Long>> amounts = new LinkedHashMap<>();
        CatalogConfig.Plan plan = config.plans().get(planId);
        if (plan == null) {
            return amounts;
        }
        amounts.put(defaultCurrency(),
                interval == Catalog.Interval.MONTHLY ? plan.monthlyAmount() : plan.yearlyAmount());
        new TreeMap<>(plan.currencyAmounts()).forEach((currency, other) -> {
            Optional<Long> amount = interval == Catalog.Interval.MONTHLY ? other.monthly() : other.yearly();
            amount.ifPresent(a -> amounts.putIfAbsent(currency.toLowerCase(Locale.ROOT), Optional.of(a)));
        });
        return amounts;
    }

    /** As {@link #planAmounts}, for one credit pack. */
    public Map<String, Optional<Long>> packAmounts(String packId) {
        Map<String, Optional<Long>> amounts = new LinkedHashMap<>();
        CatalogConfig.Pack pack = config.packs().get(packId);
        if (pack == null) {
            return amounts;
        }
        amounts.put(defaultCurrency(), pack.amount());
        new TreeMap<>(pack.currencyAmounts())
                .forEach((currency, amount) -> amounts.putIfAbsent(currency.toLowerCase(Locale.ROOT),
                        Optional.of(amount)));
        return amounts;
    }

    /** The amounts in currencies other than the catalog's: what catalog sync sends as currency_options. */
    public Map<String, Long> options(Map<String, Optional<Long>> amounts) {
        Map<String, Long> options = new TreeMap<>();
        amounts.forEach((currency, amount) -> {
            if (!currency.equals(defaultCurrency())) {
                options.put(currency, amount.orElseThrow());
            }
        });
        return options;
    }

    /** The currency to show amounts in: the requested one when offered, else the catalog's. */
    public String shown(String requested, Map<String, Optional<Long>> amounts) {
        return requested != null && amounts.containsKey(requested) ? requested : defaultCurrency();
    }
}
