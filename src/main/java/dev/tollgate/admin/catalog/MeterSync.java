package dev.tollgate.admin.catalog;

import static dev.tollgate.common.Json.ref;
import static dev.tollgate.common.Json.text;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.common.ProblemException;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import io.smallrye.mutiny.Uni;

/**
 * The metered side of catalog sync: for each meter of a plan, a Stripe Billing Meter with its event name
 * (summing the events' value, customer by stripe_customer_id) and a metered price per interval the plan is
 * sold at, on the plan's product. Found by event name and lookup_key first, created when missing, never
 * changed; every create carries an idempotency key derived from what it creates.
 */
@ApplicationScoped
class MeterSync {

    static final String METER = "meter";
    static final String METERED_PRICE = "metered_price";

    private static final Logger LOG = Logger.getLogger(MeterSync.class);

    private final StripeApi stripe;
    private final CatalogConfig config;

    MeterSync(StripeApi stripe, CatalogConfig config) {
        this.stripe = stripe;
        this.config = config;
    }

    /** Syncs every plan's meters after its prices ({@code planItems}: where the plan's product is). */
    Uni<List<CatalogSyncReport.Item>> sync(boolean dryRun, List<CatalogSyncReport.Item> planItems) {
        List<CatalogSyncReport.Item> items = new ArrayList<>();
        boolean anyMeters = config.plans().values().stream().anyMatch(p -> !p.meters().isEmpty());
        if (!anyMeters) {
            return Uni.createFrom().item(items);
        }
        return stripe.get("billing.meters.list", "/v1/billing/meters?limit=100").flatMap(list -> {
            Map<String, JsonNode> byEvent = new HashMap<>();
            list.path("data").forEach(meter -> byEvent.putIfAbsent(text(meter, "event_name"), meter));
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Map.Entry<String, CatalogConfig.Plan> plan : new TreeMap<>(config.plans()).entrySet()) {
                String product = planItems.stream().filter(i -> SyncTarget.PLAN.equals(i.kind())
                        && plan.getKey().equals(i.id()) && i.productId() != null).map(CatalogSyncReport.Item::productId)
                        .findFirst().orElse(null);
                for (Map.Entry<String, CatalogConfig.Meter> meter : new TreeMap<>(plan.getValue().meters()).entrySet()) {
                    chain = chain.flatMap(x -> meter(dryRun, plan.getKey(), meter.getKey(), meter.getValue(), byEvent))
                            .invoke(items::add)
                            .flatMap(item -> prices(dryRun, plan.getKey(), plan.getValue(), meter.getKey(),
                                    meter.getValue(), meterId(item), product))
                            .invoke(items::addAll).replaceWithVoid();
                }
            }
            return chain.replaceWith(items);
        });
    }

    private static String meterId(CatalogSyncReport.Item item) {
        return item.note() != null && item.note().startsWith("mtr_") ? item.note().split(" ")[0] : null;
    }

    private Uni<CatalogSyncReport.Item> meter(boolean dryRun, String planId, String meterId, CatalogConfig.Meter meter,
            Map<String, JsonNode> byEvent) {
        String id = planId + "." + meterId;
        JsonNode found = byEvent.get(meter.eventName());
        if (found != null) {
            String note = text(found, "id") + ("active".equals(text(found, "status")) ? ""
                    : " is " + text(found, "status") + " in Stripe: it accepts no meter events.");
            return Uni.createFrom().item(item(METER, id, null, CatalogSyncReport.EXISTS, null, null, null, note));
        }
        if (dryRun) {
            return Uni.createFrom().item(item(METER, id, null, CatalogSyncReport.WOULD_CREATE, null, null, null,
                    "A meter for event_name " + meter.eventName() + "."));
        }
        StripeForm form = new StripeForm().add("display_name", meter.displayName().orElse(meter.eventName()))
                .add("event_name", meter.eventName()).add("default_aggregation[formula]", "sum")
                .add("customer_mapping[type]", "by_id")
                .add("customer_mapping[event_payload_key]", "stripe_customer_id")
                .add("value_settings[event_payload_key]", "value");
        return stripe.post("billing.meters.create", "/v1/billing/meters", form, "tollgate-meter-" + meter.eventName())
                .map(created -> {
                    byEvent.put(meter.eventName(), created);
                    LOG.infof("Catalog sync created Stripe meter %s (%s)", text(created, "id"), meter.eventName());
                    return item(METER, id, null, CatalogSyncReport.CREATED, null, null, null, text(created, "id"));
                });
    }

    private Uni<List<CatalogSyncReport.Item>> prices(boolean dryRun, String planId, CatalogConfig.Plan plan,
            String meterId, CatalogConfig.Meter meter, String stripeMeter, String product) {
        List<CatalogSyncReport.Item> items = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Catalog.Interval interval : Catalog.Interval.values()) {
            boolean sold = interval == Catalog.Interval.MONTHLY
                    ? plan.monthlyPrice().filter(p -> !p.isBlank()).isPresent() || plan.monthlyAmount().isPresent()
                    : plan.yearlyPrice().filter(p -> !p.isBlank()).isPresent() || plan.yearlyAmount().isPresent();
            if (sold) {
                chain = chain.flatMap(x -> price(dryRun, planId, meterId, meter, interval, stripeMeter, product))
                        .invoke(items::add).replaceWithVoid();
            }
        }
        return chain.replaceWith(items);
    }

    private Uni<CatalogSyncReport.Item> price(boolean dryRun, String planId, String meterId, CatalogConfig.Meter meter,
            Catalog.Interval interval, String stripeMeter, String product) {
        String id = planId + "." + meterId;
        String name = interval.name().toLowerCase(Locale.ROOT);
        String lookupKey = "tollgate_meter_" + planId + "_" + meterId + "_" + name;
        String priceKey = "tollgate.catalog.plans." + planId + ".meters." + meterId
                + (interval == Catalog.Interval.YEARLY ? ".yearly-price" : ".price");
        Optional<String> configured = (interval == Catalog.Interval.YEARLY ? meter.yearlyPrice() : meter.price())
                .filter(p -> !p.isBlank());
        Uni<Optional<JsonNode>> byId = configured.isPresent()
                ? orEmpty(stripe.get("prices.retrieve", "/v1/prices/" + encode(configured.get())))
                : Uni.createFrom().item(Optional.empty());
        return byId.flatMap(found -> found.isPresent() ? Uni.createFrom().item(found)
                : stripe.get("prices.list", "/v1/prices?limit=1&lookup_keys%5B%5D=" + encode(lookupKey))
                        .map(list -> list.path("data").path(0).isObject() ? Optional.of(list.path("data").path(0))
                                : Optional.<JsonNode> empty()))
                .flatMap(found -> {
                    if (found.isPresent()) {
                        JsonNode price = found.get();
                        String note = configured.filter(text(price, "id")::equals).isPresent() ? null
                                : "Configure " + priceKey + "=" + text(price, "id") + ".";
                        return Uni.createFrom().item(item(METERED_PRICE, id, name, CatalogSyncReport.EXISTS,
                                text(price, "id"), ref(price, "product"), lookupKey, note));
                    }
                    if (meter.unitAmount().isEmpty()) {
                        return Uni.createFrom().item(item(METERED_PRICE, id, name, CatalogSyncReport.MISSING_AMOUNT,
                                null, product, lookupKey, "Set tollgate.catalog.plans." + planId + ".meters." + meterId
                                        + ".unit-amount (minor units per unit, decimals allowed) to create it."));
                    }
                    if (dryRun || stripeMeter == null || product == null) {
                        return Uni.createFrom().item(item(METERED_PRICE, id, name, CatalogSyncReport.WOULD_CREATE,
                                null, product, lookupKey, dryRun ? null
                                        : "Needs the meter and the plan's product first: sync the plan's prices."));
                    }
                    String amount = meter.unitAmount().get().toPlainString();
                    StripeForm form = new StripeForm().add("product", product).add("currency", config.currency())
                            .add("unit_amount_decimal", amount)
                            .add("recurring[interval]", interval == Catalog.Interval.YEARLY ? "year" : "month")
                            .add("recurring[usage_type]", "metered").add("recurring[meter]", stripeMeter)
                            .add("lookup_key", lookupKey).add("nickname", meterId + " " + name)
                            .add("metadata[tollgate_plan]", planId).add("metadata[tollgate_meter]", meterId);
                    String key = "tollgate-catalog-" + lookupKey + "-" + amount + "-" + config.currency() + "-"
                            + stripeMeter;
                    return stripe.post("prices.create", "/v1/prices", form, key).map(price -> {
                        LOG.infof("Catalog sync created Stripe metered price %s (%s)", text(price, "id"), lookupKey);
                        return item(METERED_PRICE, id, name, CatalogSyncReport.CREATED, text(price, "id"), product,
                                lookupKey, "Configure " + priceKey + "=" + text(price, "id") + ".");
                    });
                });
    }

    private static CatalogSyncReport.Item item(String kind, String id, String interval, String action, String priceId,
            String productId, String lookupKey, String note) {
        return new CatalogSyncReport.Item(kind, id, interval, action, priceId, productId, lookupKey, null, null, note);
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
