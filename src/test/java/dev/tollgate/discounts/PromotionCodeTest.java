package dev.tollgate.discounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.StripeFixtures;

/** What a promotion code takes off and when it cannot be used: pure rules, no Quarkus. */
class PromotionCodeTest {

    private static final long NOW = 1_750_000_000L;

    @Test
    void readsTheExpandedCouponOfStripesShape() {
        ObjectNode promo = StripeFixtures.object("promotion_code").put("active", true);
        ((ObjectNode) promo.get("promotion")).set("coupon", StripeFixtures.object("coupon"));
        PromotionCode code = PromotionCode.of(promo);
        assertEquals("FALL20", code.code());
        assertEquals("promo_1Pgc79B7WZ01zgkWNy4mn5NX", code.id());
        assertEquals(25.5, code.percentOff());
        assertNull(code.amountOff());
        assertEquals("forever", code.duration());
        assertEquals(List.of(), code.products());
    }

    @Test
    void percentagesRoundToTheNearestCentAndFixedAmountsNeverExceedThePrice() {
        assertEquals(510, percent(25.5).discountOn(2000));
        assertEquals(1, percent(33.3).discountOn(3)); // 0.999 rounds to 1
        assertEquals(700, amount(700L, "usd").discountOn(2000));
        assertEquals(500, amount(700L, "usd").discountOn(500));
    }

    @Test
    void unusableWhenInactiveExpiredOrItsCouponIsSpent() {
        assertNull(code(true, NOW + 1, true).unusableReason(NOW));
        assertEquals("is no longer active", code(false, null, true).unusableReason(NOW));
        assertEquals("has expired", code(true, NOW, true).unusableReason(NOW));
        assertEquals("has a coupon that can no longer be redeemed", code(true, null, false).unusableReason(NOW));
    }

    @Test
    void inapplicableForAnotherProductASmallerOrderOrAnotherCurrency() {
        PromotionCode restricted = new PromotionCode("promo_1", "X", true, null, false, 1000L, "usd", true, 10.0, null,
                null, "once", null, null, List.of("prod_a"));
        assertNull(restricted.inapplicableReason("prod_a", 1000L, "usd"));
        assertEquals("does not apply to this product", restricted.inapplicableReason("prod_b", 5000L, "usd"));
        assertEquals("needs an order of at least 1000 usd", restricted.inapplicableReason("prod_a", 999L, "usd"));
        // Unknown product or amount: Stripe has the last word at Checkout.
        assertNull(restricted.inapplicableReason(null, null, "usd"));
        assertEquals("takes usd off, and this price is in eur", amount(100L, "usd").inapplicableReason(null, 2000L, "eur"));
    }

    private static PromotionCode percent(double percentOff) {
        return new PromotionCode("promo_1", "X", true, null, false, null, null, true, percentOff, null, null, "once",
                null, null, List.of());
    }

    private static PromotionCode amount(long amountOff, String currency) {
        return new PromotionCode("promo_1", "X", true, null, false, null, null, true, null, amountOff, currency, "once",
                null, null, List.of());
    }

    private static PromotionCode code(boolean active, Long expiresAt, boolean couponValid) {
        return new PromotionCode("promo_1", "X", active, expiresAt, false, null, null, couponValid, 10.0, null, null,
                "once", null, null, List.of());
    }
}
