package dev.tollgate.discounts;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.common.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The price a promotion code would be used on: a plan at an interval or a credit pack, with its product,
 * amount and currency as the price mirror knows them (catalog sync and price events keep it), else the
 * catalog's display amount and currency.
 */
@ApplicationScoped
public class SoldPrice {

    /** @param product null when the mirror does not know the price yet */
    public record Price(String id, String product, long amount, String currency) {
    }

    private static final String MIRRORED = "select product_id, unit_amount, currency from stripe_price where id = $1";

    private final Catalog catalog;
    private final Pool pool;

    public SoldPrice(Catalog catalog, Pool pool) {
        this.catalog = catalog;
        this.pool = pool;
    }

    /** Empty when neither a plan nor a pack is named; a 400 problem when the one named is not sold. */
    public Uni<Optional<Price>> of(String plan, String interval, String pack, Integer quantity) {
        boolean forPlan = plan != null && !plan.isBlank();
        boolean forPack = pack != null && !pack.isBlank();
        if (forPlan && forPack) {
            throw ProblemException.badRequest("invalid-query", "Give plan (and interval) or pack, not both.");
        }
        if (!forPlan && !forPack) {
            return Uni.createFrom().item(Optional.empty());
        }
        String priceId;
        long displayAmount;
        int units = quantity == null ? 1 : quantity;
        if (units < 1 || units > 100) {
            throw ProblemException.badRequest("invalid-quantity", "quantity must be from 1 to 100.");
        }
        if (forPlan) {
            CatalogConfig.Plan sold = catalog.plan(plan).orElseThrow(
                    () -> ProblemException.badRequest("unknown-plan", "There is no plan \"" + plan + "\"."));
            Catalog.Interval at = Catalog.Interval.parse(interval);
            priceId = catalog.priceFor(plan, at).orElseThrow(() -> ProblemException.badRequest("plan-not-sold",
                    "Plan \"" + plan + "\" is not sold " + at.name().toLowerCase(java.util.Locale.ROOT) + "."));
            displayAmount = (at == Catalog.Interval.MONTHLY ? sold.monthlyAmount() : sold.yearlyAmount()).orElse(0L);
        } else {
            CatalogConfig.Pack sold = catalog.pack(pack).orElseThrow(
                    () -> ProblemException.badRequest("unknown-pack", "There is no credit pack \"" + pack + "\"."));
            priceId = sold.price().filter(p -> !p.isBlank()).orElseThrow(() -> ProblemException
                    .badRequest("pack-not-sold", "Credit pack \"" + pack + "\" has no Stripe price configured."));
            displayAmount = sold.amount().orElse(0L);
        }
        return pool.preparedQuery(MIRRORED).execute(Tuple.of(priceId)).map(rows -> {
            Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
            if (row == null || row.getLong("unit_amount") == null) {
                return Optional.of(new Price(priceId, null, displayAmount * units, catalog.config().currency()));
            }
            return Optional.of(new Price(priceId, row.getString("product_id"), row.getLong("unit_amount") * units,
                    row.getString("currency")));
        });
    }
}
