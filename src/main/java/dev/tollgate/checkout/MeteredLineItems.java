package dev.tollgate.checkout;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.common.ProblemException;
import dev.tollgate.stripe.StripeForm;

/**
 * A metered plan's Checkout: one line item per meter's metered price after the plan's own price, without a
 * quantity (Stripe refuses a quantity on a metered price: usage sets the amount). Stripe wants every recurring
 * price of one Checkout on the same interval, so a yearly Checkout needs each meter's yearly price.
 */
final class MeteredLineItems {

    private MeteredLineItems() {
    }

    static void addTo(StripeForm form, String planId, CatalogConfig.Plan plan, Catalog.Interval interval) {
        int index = 1;
        for (Map.Entry<String, CatalogConfig.Meter> meter : new TreeMap<>(plan.meters()).entrySet()) {
            Optional<String> price = (interval == Catalog.Interval.YEARLY ? meter.getValue().yearlyPrice()
                    : meter.getValue().price()).filter(p -> !p.isBlank());
            if (price.isEmpty()) {
                throw ProblemException.badRequest("plan-not-sold", "Plan \"" + planId + "\" bills usage of meter "
                        + meter.getKey() + ", which has no " + interval.name().toLowerCase(Locale.ROOT)
                        + " metered price: it is not sold " + interval.name().toLowerCase(Locale.ROOT) + ".");
            }
            form.add("line_items[" + index++ + "][price]", price.get());
        }
    }
}
