package dev.tollgate.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.catalog.Seats;
import dev.tollgate.common.ProblemException;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.tax.AutomaticTax;
import io.smallrye.mutiny.Uni;

/**
 * What a plan or interval change would cost, from Stripe's invoice preview (POST /v1/invoices/create_preview)
 * of the account's subscription with the change applied: nothing changes. Proration lines are the ones
 * Stripe marks as such (parent.subscription_item_details.proration), as its API reference recommends.
 */
@ApplicationScoped
public class SubscriptionPreview {

    private static final Set<String> PRORATIONS = Set.of("create_prorations", "none", "always_invoice");

    /** One line of the previewed invoice; amounts in the smallest currency unit. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Line(String description, long amount, boolean proration, Long periodStart, Long periodEnd) {
    }

    /**
     * @param amountDueNow what the change charges at once: the prorations when they are invoiced
     *        immediately (always_invoice), else 0 (they wait for the next invoice)
     * @param nextInvoiceAmount the amount due on the next invoice as previewed
     * @param prorationDate the moment prorations are computed for; pass it to a change to get the same figures
     * @param seats the seats previewed (a per-seat plan's quantity, else the plan's seats limit), or null
     */
    public record Preview(String plan, String interval, String proration, String currency, long amountDueNow,
            long prorationAmount, long nextInvoiceAmount, long nextInvoiceSubtotal, long tax, Long nextPaymentAttempt,
            long prorationDate, List<Line> lines, Long seats) {
    }

    private final SubscriptionQueries subscriptions;
    private final Catalog catalog;
    private final StripeApi stripe;
    private final AutomaticTax tax;
    private final PlanCurrency currency;

    public SubscriptionPreview(SubscriptionQueries subscriptions, Catalog catalog, StripeApi stripe,
            AutomaticTax tax, PlanCurrency currency) {
        this.tax = tax;
        this.currency = currency;
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.stripe = stripe;
    }

    /** @param plan null: the current plan; @param interval null: monthly; @param seats null: the current quantity */
    public Uni<Preview> of(String accountId, String plan, String interval, String proration, Integer seats) {
        String behaviour = proration == null ? "create_prorations" : proration;
        if (!PRORATIONS.contains(behaviour)) {
            throw ProblemException.badRequest("invalid-proration",
                    "proration must be create_prorations, none or always_invoice.");
        }
        return subscriptions.current(accountId).flatMap(found -> {
            CurrentSubscription current = found.filter(CurrentSubscription::live)
                    .orElseThrow(() -> ProblemException.notFound("The account has no active subscription."));
            Catalog.PlanPrice now = catalog.planForPrice(current.priceId()).orElse(null);
            String planId = plan != null ? plan : now == null ? null : now.planId();
            if (planId == null) {
                throw ProblemException.badRequest("invalid-request",
                        "plan is required: the subscription's price is not in the catalog.");
            }
            Catalog.Interval chosen = interval != null ? Catalog.Interval.parse(interval)
                    : now != null ? now.interval() : Catalog.Interval.parse(null);
            String price = catalog.priceFor(planId, chosen).orElseThrow(() -> ProblemException.badRequest(
                    "plan-not-sold", "Plan \"" + planId + "\" is not sold " + name(chosen) + "."));
            CatalogConfig.Plan target = catalog.plan(planId).orElseThrow();
            if (seats != null) {
                Seats.requested(planId, target, seats);
            }
            Long previewed = Seats.of(target, seats != null ? Long.valueOf(seats) : current.quantity());
            Uni<Optional<String>> checked = currency.check(accountId, planId, chosen)
                    .flatMap(x -> subscriptions.firstItemId(current.id()));
            return checked.flatMap(item -> {
                String itemId = item.orElseThrow(() -> ProblemException.conflict("subscription-has-no-item",
                        "The subscription has no item to change yet; try again in a moment."));
                long prorationDate = System.currentTimeMillis() / 1000;
                StripeForm form = new StripeForm().add("customer", current.customerId())
                        .add("subscription", current.id())
                        .add("subscription_details[items][0][id]", itemId)
                        .add("subscription_details[items][0][price]", price)
                        .add("subscription_details[items][0][quantity]", seats)
                        .add("subscription_details[proration_behavior]", behaviour)
                        .add("subscription_details[proration_date]", prorationDate);
                tax.addToSubscription(form);
                // A preview creates nothing, so a fresh key per request is right: it only guards stripe-java's retries.
                return stripe.post("invoices.create_preview", "/v1/invoices/create_preview", form,
                        "preview-" + UUID.randomUUID())
                        .map(invoice -> preview(planId, name(chosen), behaviour, prorationDate, invoice, previewed));
            });
        });
    }

    private static Preview preview(String plan, String interval, String proration, long prorationDate,
            JsonNode invoice, Long seats) {
        List<Line> lines = new ArrayList<>();
        long prorations = 0;
        for (JsonNode line : invoice.path("lines").path("data")) {
            boolean isProration = isProration(line);
            long amount = line.path("amount").asLong();
            if (isProration) {
                prorations += amount;
            }
            JsonNode period = line.path("period");
            lines.add(new Line(line.path("description").asText(null), amount, isProration,
                    period.path("start").isIntegralNumber() ? period.path("start").asLong() : null,
                    period.path("end").isIntegralNumber() ? period.path("end").asLong() : null));
        }
        long tax = 0;
        for (JsonNode taxAmount : invoice.path("total_taxes")) {
            tax += taxAmount.path("amount").asLong();
        }
        return new Preview(plan, interval, proration, invoice.path("currency").asText(null),
                "always_invoice".equals(proration) ? prorations : 0, prorations, invoice.path("amount_due").asLong(),
                invoice.path("subtotal").asLong(), tax,
                invoice.path("next_payment_attempt").isIntegralNumber() ? invoice.path("next_payment_attempt").asLong()
                        : null,
                prorationDate, lines, seats);
    }

    /** parent.type names the details object that carries the proration flag. */
    private static boolean isProration(JsonNode line) {
        JsonNode parent = line.path("parent");
        String type = parent.path("type").asText("");
        return parent.path(type).path("proration").asBoolean(false);
    }

    private static String name(Catalog.Interval interval) {
        return interval.name().toLowerCase(Locale.ROOT);
    }
}
