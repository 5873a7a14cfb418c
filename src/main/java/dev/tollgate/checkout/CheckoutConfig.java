package dev.tollgate.checkout;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where Stripe may send the customer back to, and how often an account may start payments. */
@ConfigMapping(prefix = "tollgate.checkout")
public interface CheckoutConfig {

    /**
     * Origins (scheme://host[:port]) that success, cancel and return URLs must belong to
     * (TOLLGATE_CHECKOUT_ALLOWED_ORIGINS, comma separated). Anything else is refused with 400: an open
     * redirect on a payment page is a phishing tool. Optional here so that an unset value in production
     * reaches dev.tollgate.config's start-up check, whose message names the variable.
     */
    Optional<List<String>> allowedOrigins();

    Optional<String> successUrl();

    Optional<String> cancelUrl();

    /** Where the Customer Portal returns to by default. */
    Optional<String> portalReturnUrl();

    /**
     * One trial per account: an account that has had a trial subscription (trial_start set on any of its
     * mirrored subscriptions) gets none again (TOLLGATE_CHECKOUT_ONE_TRIAL_PER_ACCOUNT).
     */
    @WithDefault("true")
    boolean oneTrialPerAccount();

    /**
     * Credit-pack Checkouts create an invoice (Checkout's invoice_creation in payment mode), so every purchase
     * has a number and a PDF. Its invoice.paid grants nothing: pack credits are granted per Checkout Session.
     */
    @WithDefault("true")
    boolean packInvoices();

    /** Bounds and currencies for POST /v1/billing/payment-intents. */
    @WithDefault("50")
    long minAmount();

    @WithDefault("1000000")
    long maxAmount();

    @WithDefault("usd,eur,gbp")
    List<String> currencies();
}
