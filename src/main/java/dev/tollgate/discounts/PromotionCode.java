package dev.tollgate.discounts;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A promotion code as Stripe answered it (with its coupon expanded), reduced to what a pricing page shows
 * and what decides whether it can be used.
 *
 * @param id Stripe's id (promo_...), what Checkout and subscriptions take
 * @param code what the customer types, e.g. SUMMER20
 * @param percentOff or null when the coupon takes a fixed amount off
 * @param amountOff in the smallest currency unit, or null when the coupon takes a percentage off
 * @param duration once, repeating or forever
 * @param products the products the coupon is restricted to; empty when it applies to any
 */
public record PromotionCode(String id, String code, boolean active, Long expiresAt, boolean firstTimeTransaction,
        Long minimumAmount, String minimumAmountCurrency, boolean couponValid, Double percentOff, Long amountOff,
        String currency, String duration, Integer durationInMonths, String couponName, List<String> products) {

    /** From a promotion_code object whose promotion.coupon is expanded (API versions 2025-09-30 and later). */
    static PromotionCode of(JsonNode promo) {
        JsonNode coupon = promo.path("promotion").path("coupon");
        JsonNode restrictions = promo.path("restrictions");
        List<String> products = new ArrayList<>();
        coupon.path("applies_to").path("products").forEach(p -> products.add(p.asText()));
        return new PromotionCode(promo.path("id").asText(), promo.path("code").asText(),
                promo.path("active").asBoolean(false), longOrNull(promo.path("expires_at")),
                restrictions.path("first_time_transaction").asBoolean(false),
                longOrNull(restrictions.path("minimum_amount")), textOrNull(restrictions.path("minimum_amount_currency")),
                coupon.path("valid").asBoolean(false),
                coupon.path("percent_off").isNumber() ? coupon.path("percent_off").asDouble() : null,
                longOrNull(coupon.path("amount_off")), textOrNull(coupon.path("currency")),
                textOrNull(coupon.path("duration")),
                coupon.path("duration_in_months").isIntegralNumber() ? coupon.path("duration_in_months").asInt() : null,
                textOrNull(coupon.path("name")), List.copyOf(products));
    }

    /** Why the code cannot be used now (whatever it is used for), or null when it can. */
    String unusableReason(long nowEpochSeconds) {
        if (!active) {
            return "is no longer active";
        }
        if (expiresAt != null && expiresAt <= nowEpochSeconds) {
            return "has expired";
        }
        if (!couponValid) {
            return "has a coupon that can no longer be redeemed";
        }
        return null;
    }

    /**
     * Why the code cannot take anything off this price, or null when it can: the checks Stripe makes at
     * Checkout that a page can make beforehand (product restriction, minimum amount, currency of a fixed
     * amount). An unknown product or amount is not held against the code: Stripe has the last word.
     */
    String inapplicableReason(String product, Long amount, String priceCurrency) {
        if (!products.isEmpty() && product != null && !products.contains(product)) {
            return "does not apply to this product";
        }
        if (minimumAmount != null && amount != null && sameCurrency(minimumAmountCurrency, priceCurrency)
                && amount < minimumAmount) {
            return "needs an order of at least " + minimumAmount + " " + minimumAmountCurrency;
        }
        if (amountOff != null && currency != null && priceCurrency != null && !sameCurrency(currency, priceCurrency)) {
            return "takes " + currency + " off, and this price is in " + priceCurrency;
        }
        return null;
    }

    /** What the code takes off one payment of the amount, in the smallest currency unit. */
    long discountOn(long amount) {
        if (amountOff != null) {
            return Math.min(amount, amountOff);
        }
        if (percentOff != null) {
            return Math.round(amount * percentOff / 100.0);
        }
        return 0;
    }

    private static boolean sameCurrency(String a, String b) {
        return a == null || b == null || a.equalsIgnoreCase(b);
    }

    private static Long longOrNull(JsonNode node) {
        return node.isIntegralNumber() ? node.asLong() : null;
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
