package dev.tollgate.catalog;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The plan catalog and credit packs, in configuration. Price ids come from STRIPE_PRICE_* style
 * environment variables (see application.properties), so one build serves test and live mode.
 */
@ConfigMapping(prefix = "tollgate.catalog")
public interface CatalogConfig {

    /** ISO currency of the catalog, lower case like Stripe's ("usd"). */
    @WithDefault("usd")
    String currency();

    /** The plan an account without a subscription is on. */
    @WithDefault("free")
    String defaultPlan();

    Map<String, Plan> plans();

    /**
     * Price ids that only stand in for real ones (dev mode's defaults): events naming them are applied, so local
     * scenarios work without a Stripe account, but no Stripe call is made with them (503 naming the variable).
     */
    Optional<Set<String>> placeholderPrices();

    Map<String, Pack> packs();

    interface Plan {

        String name();

        /** Stripe price id of the monthly interval, when the plan is sold monthly. */
        Optional<String> monthlyPrice();

        /** Stripe price id of the yearly interval, when the plan is sold yearly. */
        Optional<String> yearlyPrice();

        /** Display amounts in minor units (Stripe's unit_amount), for GET /v1/billing/plans. */
        Optional<Long> monthlyAmount();

        Optional<Long> yearlyAmount();

        /** The trial a subscription Checkout gets when the request names no length (0: none). */
        @WithDefault("0")
        int trialDays();

        /** The longest trial a request may ask for (trial_days); unset: trial-days, so no request can lengthen it. */
        Optional<Integer> maxTrialDays();

        /**
         * Whether a trial starts only with a card. false: Checkout asks for one only if the first payment
         * needs it (payment_method_collection=if_required), and {@link #trialEndWithoutCard()} says what
         * happens when the trial ends without one.
         */
        @WithDefault("true")
        boolean trialRequiresCard();

        /** Stripe's trial_settings.end_behavior.missing_payment_method for trials without a card. */
        @WithDefault("cancel")
        TrialEnd trialEndWithoutCard();

        /**
         * Whether the plan is sold per seat: the subscription's quantity is the number of seats, the price is
         * per seat, and the seat count is the plan's {@code seats} limit (see {@link Seats}).
         */
        @WithDefault("false")
        boolean perSeat();

        /** The fewest seats a per-seat plan is sold with; also what a Checkout without {@code seats} buys. */
        @WithDefault("1")
        int minSeats();

        /** The most seats a per-seat plan is sold with; unset: no cap of Tollgate's own. */
        Optional<Integer> maxSeats();

        /** Whether Checkout's page lets the customer change the seat count (within min-seats..max-seats). */
        @WithDefault("false")
        boolean adjustableSeats();

        /** Boolean feature gates, e.g. features.api-access=true. */
        Map<String, Boolean> features();

        /** Numeric limits, e.g. limits.seats=5. */
        Map<String, Long> limits();

        /** Credits granted at each paid period (renewal invoice). */
        @WithDefault("0")
        long creditsPerPeriod();

        /** Use-it-or-lose-it: whether a period's credits expire when the period ends. */
        @WithDefault("false")
        boolean periodCreditsExpire();

        /**
         * Amounts in other currencies than the catalog's, by lower-case ISO code: currency-amounts.eur.monthly=1900.
         * Stripe sells them as currency_options of the interval's one price (catalog sync creates them).
         */
        Map<String, IntervalAmounts> currencyAmounts();

        /** Usage billed through Stripe Billing Meters, by meter id (what POST /v1/billing/usage names). */
        Map<String, Meter> meters();

        /**
         * Credits plus overage: a consumption for one of these features (feature -> meter) that the balance
         * does not cover takes what there is and records the rest as usage of the meter instead of a 402.
         */
        Map<String, String> overage();
    }

    /** A plan's amounts in one more currency, minor units; an interval without one is not sold in it. */
    interface IntervalAmounts {

        Optional<Long> monthly();

        Optional<Long> yearly();
    }

    /** A Stripe Billing Meter and the metered price that bills it. */
    interface Meter {

        /** The meter's event_name in Stripe (meter events carry it). */
        String eventName();

        /** The meter's display_name in Stripe; unset: the event name. */
        Optional<String> displayName();

        /** The metered monthly price id (recurring[usage_type]=metered) Checkout adds without a quantity. */
        Optional<String> price();

        /** The metered yearly price id, for plans sold yearly. */
        Optional<String> yearlyPrice();

        /** Price per unit in minor units, decimals allowed (Stripe's unit_amount_decimal), for catalog sync. */
        Optional<java.math.BigDecimal> unitAmount();
    }

    /** What Stripe does to a subscription whose trial ends without a payment method. */
    enum TrialEnd {
        CANCEL,
        PAUSE;

        /** The value of Stripe's missing_payment_method parameter. */
        public String stripeValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    interface Pack {

        String name();

        /** Stripe price id of one pack (a one-time price). */
        Optional<String> price();

        Optional<Long> amount();

        long credits();

        /** How long bought credits last (e.g. 365d); unset: they never expire. */
        Optional<Duration> expiresAfter();

        /** One pack's amount in other currencies, minor units by lower-case ISO code: currency-amounts.eur=900. */
        Map<String, Long> currencyAmounts();
    }
}
