package dev.tollgate.checkout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.account.StripeCustomers;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.catalog.Currencies;
import dev.tollgate.catalog.Seats;
import dev.tollgate.common.ProblemException;
import dev.tollgate.discounts.PromotionCodes;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.stripe.StripeGateway;
import dev.tollgate.stripe.StripeKeys;
import dev.tollgate.subscription.SubscriptionQueries;
import dev.tollgate.tax.AutomaticTax;
import io.smallrye.mutiny.Uni;

/** Creates Stripe Checkout Sessions for plans and credit packs, tied to the account. */
@ApplicationScoped
public class CheckoutService {

    private static final int MAX_PACKS = 100;

    private final Catalog catalog;
    private final RedirectUrls redirects;
    private final CheckoutConfig config;
    private final SubscriptionQueries subscriptions;
    private final StripeCustomers customers;
    private final StripeApi stripe;
    private final PromotionCodes promotionCodes;
    private final Trials trials;
    private final StripeGateway gateway;
    private final CheckoutCurrency currency;
    private final Currencies currencies;
    private final AutomaticTax tax;

    public CheckoutService(Catalog catalog, RedirectUrls redirects, CheckoutConfig config,
            SubscriptionQueries subscriptions, StripeCustomers customers, StripeApi stripe,
            PromotionCodes promotionCodes, Trials trials, StripeGateway gateway, CheckoutCurrency currency,
            Currencies currencies, AutomaticTax tax) {
        this.currency = currency;
        this.currencies = currencies;
        this.tax = tax;
        this.promotionCodes = promotionCodes;
        this.trials = trials;
        this.gateway = gateway;
        this.catalog = catalog;
        this.redirects = redirects;
        this.config = config;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.stripe = stripe;
    }

    /**
     * @param trialDays the trial the subscription will have (subscription Checkouts only)
     * @param trialNote why it has none although the plan offers one, or absent
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Created(String id, String url, Integer trialDays, String trialNote) {
    }

    /** A Checkout form ready to send, and the trial it carries (null for packs). */
    private record Prepared(StripeForm form, Trials.Decision trial) {
    }

    /** @param email for the account's Stripe customer if it has to be created; null for none */
    public Uni<Created> create(String accountId, String email, CheckoutRequest request, String idempotencyKey) {
        boolean forPlan = request.plan() != null && !request.plan().isBlank();
        boolean forPack = request.pack() != null && !request.pack().isBlank();
        if (forPlan == forPack) {
            throw ProblemException.badRequest("invalid-checkout",
                    "Give either plan and interval (a subscription) or pack and quantity (credits), not both or neither.");
        }
        String successUrl = redirects.check("success_url", request.successUrl(), config.successUrl());
        String cancelUrl = redirects.check("cancel_url", request.cancelUrl(), config.cancelUrl());
        String key = StripeKeys.of("checkout", accountId,
                idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString());
        StripeForm form = new StripeForm().add("client_reference_id", accountId).add("metadata[account_id]", accountId)
                .add("success_url", successUrl).add("cancel_url", cancelUrl);
        tax.addToCheckout(form);
        if (forPack) {
            if (request.seats() != null) {
                throw ProblemException.badRequest("invalid-checkout",
                        "seats is for per-seat plans; a credit pack takes quantity.");
            }
            return packForm(form, accountId, request).flatMap(f -> send(accountId, email, new Prepared(f, null), key));
        }
        return planForm(form, accountId, request).flatMap(p -> refuseSecondSubscription(accountId).replaceWith(p))
                .flatMap(p -> send(accountId, email, p, key));
    }

    private Uni<Prepared> planForm(StripeForm form, String accountId, CheckoutRequest request) {
        CatalogConfig.Plan plan = catalog.plan(request.plan()).orElseThrow(() -> ProblemException
                .badRequest("unknown-plan", "There is no plan \"" + request.plan() + "\"."));
        Catalog.Interval interval = Catalog.Interval.parse(request.interval());
        if (!catalog.sells(request.plan(), interval)) {
            throw ProblemException.badRequest("plan-not-sold",
                    "Plan \"" + request.plan() + "\" is not sold " + interval.name().toLowerCase(Locale.ROOT) + ".");
        }
        int seats = Seats.requested(request.plan(), plan, request.seats());
        refuseWithoutSetup(catalog.missingPriceSettings(request.plan(), interval));
        String price = catalog.priceFor(request.plan(), interval).orElseThrow();
        form.add("mode", "subscription").add("line_items[0][price]", price).add("line_items[0][quantity]", seats)
                .add("subscription_data[metadata][account_id]", accountId)
                .add("subscription_data[metadata][plan]", request.plan());
        addAdjustableSeats(form, plan);
        MeteredLineItems.addTo(form, request.plan(), plan, interval);
        String what = "plan \"" + request.plan() + "\" " + interval.name().toLowerCase(Locale.ROOT);
        return currency.addTo(form, accountId, request.currency(), currencies.planAmounts(request.plan(), interval),
                what).flatMap(f -> trials.decide(accountId, request.plan(), plan, request)).flatMap(trial -> {
                    Trials.addTo(form, plan, trial.days());
                    return discount(form, request).map(f -> new Prepared(f, trial));
                });
    }

    /** Checkout's page lets the customer change the seat count, within the plan's bounds. */
    private static void addAdjustableSeats(StripeForm form, CatalogConfig.Plan plan) {
        if (plan.perSeat() && plan.adjustableSeats()) {
            form.add("line_items[0][adjustable_quantity][enabled]", true)
                    .add("line_items[0][adjustable_quantity][minimum]", plan.minSeats())
                    .add("line_items[0][adjustable_quantity][maximum]", plan.maxSeats().orElse(null));
        }
    }

    private Uni<StripeForm> packForm(StripeForm form, String accountId, CheckoutRequest request) {
        CatalogConfig.Pack pack = catalog.pack(request.pack()).orElseThrow(() -> ProblemException
                .badRequest("unknown-pack", "There is no credit pack \"" + request.pack() + "\"."));
        refuseWithoutSetup(catalog.missingPackSettings(request.pack()));
        String price = pack.price().filter(p -> !p.isBlank()).orElseThrow();
        int quantity = request.quantity() == null ? 1 : request.quantity();
        if (quantity < 1 || quantity > MAX_PACKS) {
            throw ProblemException.badRequest("invalid-quantity", "quantity must be from 1 to " + MAX_PACKS + ".");
        }
        form.add("mode", "payment").add("line_items[0][price]", price).add("line_items[0][quantity]", quantity)
                .add("metadata[pack]", request.pack()).add("metadata[quantity]", quantity)
                .add("payment_intent_data[metadata][account_id]", accountId)
                .add("invoice_creation[enabled]", config.packInvoices() ? Boolean.TRUE : null);
        return currency.addTo(form, accountId, request.currency(), currencies.packAmounts(request.pack()),
                "pack \"" + request.pack() + "\"").flatMap(f -> discount(f, request));
    }

    /**
     * A code the customer typed becomes the promotion code's id (Checkout takes only ids), found before the
     * Stripe customer is created so that a mistyped code costs nothing; or the field on Checkout's page.
     */
    private Uni<StripeForm> discount(StripeForm form, CheckoutRequest request) {
        if (request.promotionCode() != null && Boolean.TRUE.equals(request.allowPromotionCodes())) {
            throw ProblemException.badRequest("invalid-checkout",
                    "Give promotion_code or allow_promotion_codes, not both (Stripe accepts one or the other).");
        }
        if (request.promotionCode() != null) {
            return promotionCodes.usable(request.promotionCode())
                    .map(code -> form.add("discounts[0][promotion_code]", code.id()));
        }
        if (Boolean.TRUE.equals(request.allowPromotionCodes())) {
            form.add("allow_promotion_codes", true);
        }
        return Uni.createFrom().item(form);
    }

    /** 503 naming every variable still unset (the API key and the price), before anything is sent. */
    private void refuseWithoutSetup(List<String> missingPrices) {
        List<String> missing = new ArrayList<>();
        if (!gateway.configured()) {
            missing.add(StripeGateway.SECRET_KEY_VARIABLE);
        }
        missing.addAll(missingPrices);
        if (!missing.isEmpty()) {
            throw StripeGateway.notConfigured(missing);
        }
    }

    private Uni<Void> refuseSecondSubscription(String accountId) {
        return subscriptions.current(accountId).invoke(current -> current.filter(s -> s.live())
                .ifPresent(s -> {
                    throw ProblemException.conflict("subscription-exists", "The account already has a " + s.status()
                            + " subscription (" + s.id() + "): change its plan with POST /v1/billing/subscription/change"
                            + " or manage it in the Customer Portal (POST /v1/billing/portal-sessions).");
                })).replaceWithVoid();
    }

    private Uni<Created> send(String accountId, String email, Prepared prepared, String key) {
        return customers.customerFor(accountId, email)
                .flatMap(customer -> stripe.post("checkout.sessions.create", "/v1/checkout/sessions",
                        prepared.form().add("customer", customer), key))
                .map(session -> created(session, prepared.trial()));
    }

    private static Created created(JsonNode session, Trials.Decision trial) {
        return new Created(session.path("id").asText(), session.path("url").asText(null),
                trial == null ? null : trial.days(), trial == null ? null : trial.note());
    }
}
