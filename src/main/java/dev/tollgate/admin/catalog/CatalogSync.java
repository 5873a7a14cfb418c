package dev.tollgate.admin.catalog;

import static dev.tollgate.common.Json.longValue;
import static dev.tollgate.common.Json.ref;
import static dev.tollgate.common.Json.text;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.catalog.Currencies;
import dev.tollgate.common.ProblemException;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Makes Stripe sell what the configuration sells. Each configured plan interval and pack is looked up by its
 * configured price id, then by the lookup_key Tollgate gives its prices; what is missing is created (product
 * first, under a chosen id, then the price). Existing prices and products are never changed or deleted (a
 * price's amount cannot change anyway): differences are reported. Every create carries an idempotency key
 * derived from what it creates, and lookups come first, so a retried or repeated sync creates nothing twice.
 */
@ApplicationScoped
public class CatalogSync {

    private static final Logger LOG = Logger.getLogger(CatalogSync.class);

    private static final String LOCK = "select pg_advisory_xact_lock(hashtextextended('catalog-sync', 0))";

    private final StripeApi stripe;
    private final CatalogConfig config;
    private final Pool pool;
    private final Currencies currencies;
    private final MeterSync meters;

    public CatalogSync(StripeApi stripe, CatalogConfig config, Pool pool, Currencies currencies, MeterSync meters) {
        this.stripe = stripe;
        this.config = config;
        this.pool = pool;
        this.currencies = currencies;
        this.meters = meters;
    }

    /** The configured amounts in other currencies than the catalog's: the price's currency_options. */
    private Map<String, Long> currencyOptions(SyncTarget target) {
        return currencies.options(SyncTarget.PLAN.equals(target.kind())
                ? currencies.planAmounts(target.id(), target.interval())
                : currencies.packAmounts(target.id()));
    }

    /**
     * Looks every target up first and creates what is missing afterwards, so a missing price goes on the
     * product of an existing price of the same plan or pack whatever their order. One sync at a time
     * (advisory lock): two concurrent runs would race to create the same product.
     */
    public Uni<CatalogSyncReport> sync(boolean dryRun) {
        Run run = new Run(dryRun);
        List<SyncTarget> targets = SyncTarget.of(config);
        List<CatalogSyncReport.Item> items = new ArrayList<>();
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute().flatMap(locked -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (SyncTarget target : targets) {
                chain = chain.flatMap(x -> run.find(target)).invoke(items::add).replaceWithVoid();
            }
            for (int i = 0; i < targets.size(); i++) {
                int index = i;
                chain = chain.flatMap(x -> items.get(index) == null
                        ? run.missing(targets.get(index)).invoke(item -> items.set(index, item)).replaceWithVoid()
                        : Uni.createFrom().voidItem());
            }
            // Metered plans: their meters and metered prices, on the products the plan prices resolved to.
            return chain.flatMap(x -> meters.sync(dryRun, List.copyOf(items))).invoke(items::addAll);
        })).map(x -> {
            Map<String, Long> summary = new TreeMap<>();
            items.forEach(item -> summary.merge(item.action(), 1L, Long::sum));
            return new CatalogSyncReport(dryRun, config.currency(), summary, List.copyOf(items));
        });
    }

    /** One sync: remembers the product each plan or pack resolved to, so its other prices go on it. */
    private final class Run {

        private final boolean dryRun;
        private final Map<String, String> products = new HashMap<>();
        private final Map<SyncTarget, String> lost = new HashMap<>();

        Run(boolean dryRun) {
            this.dryRun = dryRun;
        }

        /** The existing price's item, or null when the price is missing. */
        Uni<CatalogSyncReport.Item> find(SyncTarget target) {
            Uni<Optional<JsonNode>> configured = target.configuredPrice().isPresent()
                    ? orEmpty(stripe.get("prices.retrieve", "/v1/prices/" + encode(target.configuredPrice().get())))
                    : Uni.createFrom().item(Optional.empty());
            return configured.flatMap(byId -> {
                if (byId.isPresent()) {
                    return Uni.createFrom().item(existing(target, byId.get(), null));
                }
                target.configuredPrice().ifPresent(id -> lost.put(target,
                        "The configured price " + id + " is not in this Stripe account."));
                return byLookupKey(target).map(byKey -> byKey.map(price -> existing(target, price, lost.get(target)))
                        .orElse(null));
            });
        }

        private Uni<Optional<JsonNode>> byLookupKey(SyncTarget target) {
            return stripe.get("prices.list", "/v1/prices?limit=1&lookup_keys%5B%5D=" + encode(target.lookupKey()))
                    .map(list -> {
                        JsonNode first = list.path("data").path(0);
                        return first.isObject() ? Optional.of(first) : Optional.empty();
                    });
        }

        private CatalogSyncReport.Item existing(SyncTarget target, JsonNode price, String lost) {
            String priceId = text(price, "id");
            String productId = ref(price, "product");
            products.putIfAbsent(target.productId(), productId);
            List<String> notes = new ArrayList<>();
            if (lost != null) {
                notes.add(lost);
            }
            if (target.configuredPrice().filter(priceId::equals).isEmpty()) {
                notes.add("Found by lookup_key; configure " + target.priceKey() + "=" + priceId + ".");
            }
            Long amount = longValue(price, "unit_amount");
            if (target.amount().isPresent() && !target.amount().get().equals(amount)) {
                notes.add("Stripe's amount is " + amount + ", the configured one " + target.amount().get()
                        + "; prices are never changed: create a new price and configure it to charge another amount.");
            }
            if (!config.currency().equalsIgnoreCase(String.valueOf(text(price, "currency")))) {
                notes.add("Stripe's currency is " + text(price, "currency") + ", the catalog's " + config.currency()
                        + ".");
            }
            missingOptions(target, price).ifPresent(notes::add);
            if (Boolean.FALSE.equals(price.path("active").isBoolean() ? price.path("active").asBoolean() : null)) {
                notes.add("The price is archived (inactive) in Stripe.");
            }
            return item(target, CatalogSyncReport.EXISTS, priceId, productId, amount, null, notes);
        }

        Uni<CatalogSyncReport.Item> missing(SyncTarget target) {
            List<String> notes = new ArrayList<>();
            if (lost.containsKey(target)) {
                notes.add(lost.get(target));
            }
            if (target.amount().isEmpty()) {
                notes.add("Set " + target.amountKey() + " (minor units) to create it.");
                return Uni.createFrom().item(item(target, CatalogSyncReport.MISSING_AMOUNT, null, null, null, null,
                        notes));
            }
            return product(target).flatMap(product -> {
                if (dryRun) {
                    return Uni.createFrom().item(item(target, CatalogSyncReport.WOULD_CREATE, null, product.id(),
                            target.amount().get(), product.action(), notes));
                }
                return createPrice(target, product.id()).map(price -> {
                    notes.add("Configure " + target.priceKey() + "=" + text(price, "id") + ".");
                    return item(target, CatalogSyncReport.CREATED, text(price, "id"), product.id(),
                            longValue(price, "unit_amount"), product.action(), notes);
                });
            });
        }

        private record Product(String id, String action) {
        }

        /** The product a new price goes on: the one an existing price of the same plan or pack is on, else Tollgate's. */
        private Uni<Product> product(SyncTarget target) {
            String known = products.get(target.productId());
            if (known != null) {
                return Uni.createFrom().item(new Product(known, CatalogSyncReport.EXISTS));
            }
            return orEmpty(stripe.get("products.retrieve", "/v1/products/" + encode(target.productId())))
                    .flatMap(found -> {
                        if (found.isPresent()) {
                            products.put(target.productId(), text(found.get(), "id"));
                            return Uni.createFrom().item(new Product(text(found.get(), "id"), CatalogSyncReport.EXISTS));
                        }
                        if (dryRun) {
                            return Uni.createFrom().item(new Product(target.productId(), CatalogSyncReport.WOULD_CREATE));
                        }
                        return createProduct(target).map(created -> {
                            products.put(target.productId(), text(created, "id"));
                            return new Product(text(created, "id"), CatalogSyncReport.CREATED);
                        });
                    });
        }

        private Uni<JsonNode> createProduct(SyncTarget target) {
            StripeForm form = new StripeForm().add("id", target.productId()).add("name", target.name());
            target.metadata().forEach((k, v) -> form.add("metadata[" + k + "]", v));
            return stripe.post("products.create", "/v1/products", form, "tollgate-catalog-" + target.productId())
                    .invoke(p -> LOG.infof("Catalog sync created Stripe product %s", text(p, "id")));
        }

        private Uni<JsonNode> createPrice(SyncTarget target, String productId) {
            long amount = target.amount().get();
            StripeForm form = new StripeForm().add("product", productId).add("currency", config.currency())
                    .add("unit_amount", amount).add("lookup_key", target.lookupKey())
                    .add("nickname", target.name() + (target.interval() == null ? "" : " " + target.intervalName()));
            if (SyncTarget.PLAN.equals(target.kind())) {
                form.add("recurring[interval]", target.recurringInterval());
            }
            target.metadata().forEach((k, v) -> form.add("metadata[" + k + "]", v));
            Map<String, Long> options = currencyOptions(target);
            options.forEach((currency, optionAmount) -> form.add("currency_options[" + currency + "][unit_amount]",
                    optionAmount));
            // The amounts and currencies are part of the key: a changed amount is a different price, not a replay.
            StringBuilder key = new StringBuilder("tollgate-catalog-").append(target.lookupKey()).append('-')
                    .append(amount).append('-').append(config.currency());
            options.forEach((currency, optionAmount) -> key.append('-').append(currency).append(optionAmount));
            return stripe.post("prices.create", "/v1/prices", form, key.toString())
                    .invoke(p -> LOG.infof("Catalog sync created Stripe price %s (%s)", text(p, "id"),
                            target.lookupKey()));
        }

        /**
         * What an existing price lacks of the configured currencies, when Stripe's answer lists its currency_options
         * (prices are never changed: add them in the Dashboard or create a new price).
         */
        private Optional<String> missingOptions(SyncTarget target, JsonNode price) {
            JsonNode options = price.path("currency_options");
            if (!options.isObject()) {
                return Optional.empty();
            }
            List<String> missing = new ArrayList<>();
            currencyOptions(target).forEach((currency, amount) -> {
                if (!amount.equals(longValue(options.path(currency), "unit_amount"))) {
                    missing.add(currency + " " + amount);
                }
            });
            return missing.isEmpty() ? Optional.empty()
                    : Optional.of("Stripe's currency_options lack the configured " + String.join(", ", missing) + ".");
        }

        private CatalogSyncReport.Item item(SyncTarget target, String action, String priceId, String productId,
                Long amount, String productAction, List<String> notes) {
            return new CatalogSyncReport.Item(target.kind(), target.id(), target.intervalName(), action, priceId,
                    productId, target.lookupKey(), amount != null ? amount : target.amount().orElse(null),
                    productAction, notes.isEmpty() ? null : String.join(" ", notes));
        }
    }

    private static Uni<Optional<JsonNode>> orEmpty(Uni<JsonNode> lookup) {
        return lookup.map(Optional::of).onFailure(ProblemException.class)
                .recoverWithUni(e -> e.problem().status() == 404
                        ? Uni.createFrom().item(Optional.<JsonNode> empty())
                        : Uni.createFrom().failure(e));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
