package dev.tollgate.credits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.testing.ConfigStubs;
import dev.tollgate.testing.StripeObjects;

/**
 * The arithmetic of credits without a database: what a pack purchase grants, what a refund claws back,
 * and which ledger entries spend expiring credits.
 */
class CreditArithmeticTest {

    /** The catalog of the test profile: 500 credits for $5 lasting a year, 5,000 for $40 for ever. */
    private static final CatalogConfig CATALOG = ConfigStubs.of(CatalogConfig.class, Map.of("packs", Map.of(
            "small", pack(500, Optional.of(Duration.ofDays(365))),
            "large", pack(5000, Optional.empty()))));

    @ParameterizedTest(name = "{0} credits bought for {2}, refund of {1} -> {3} back")
    @CsvSource({
            // granted, refunded, paid, taken back
            "1000, 1000, 1000, 1000", // full refund takes everything back
            "1000, 500, 1000, 500", // half the money, half the credits
            "5000, 1333, 4000, 1666", // 1666.25: rounded down, never more than the share
            "500, 1, 500, 1",
            "500, 1, 1000, 0", // less than one credit's worth takes nothing
            "1000, 5000, 1000, 1000", // refunded more than paid: capped at what was granted
            "3, 2, 3, 2" })
    void aRefundTakesBackTheRefundedShareRoundedDown(long granted, long refunded, long paid, long back) {
        assertEquals(back, CreditEffects.clawBackCredits(granted, refunded, paid));
    }

    @Test
    void partialRefundsNeverTakeBackMoreThanWasGranted() {
        // Three partial refunds of one $40 payment that bought 5,000 credits.
        long back = CreditEffects.clawBackCredits(5000, 1333, 4000) + CreditEffects.clawBackCredits(5000, 1333, 4000)
                + CreditEffects.clawBackCredits(5000, 1334, 4000);
        assertTrue(back <= 5000, "taken back " + back);
        assertEquals(4999, back, "each share rounded down on its own: 1666 + 1666 + 1667");
    }

    @Test
    void aPaidPackGrantsItsCreditsTimesTheQuantityAndAYearToUseThem() {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC);
        PackPurchase purchase = PackPurchase.of(session("acct_42", "small", "3", "paid"), CATALOG).orElseThrow();
        assertEquals(1500, purchase.credits());
        assertEquals(3, purchase.quantity());
        assertEquals("acct_42", purchase.accountId());
        assertEquals("pi_3Pq8Zx2eZvKYlo2C", purchase.paymentIntentId());
        assertEquals("checkout:cs_test_a1B2c3", CreditEffects.grantKey(purchase.sessionId()));
        assertTrue(!purchase.expiresAt().isBefore(before.plusDays(365))
                && !purchase.expiresAt().isAfter(OffsetDateTime.now(ZoneOffset.UTC).plusDays(365)),
                "expires a year after the grant: " + purchase.expiresAt());
    }

    @Test
    void aLastingPackHasNoExpiry() {
        PackPurchase purchase = PackPurchase.of(session("acct_42", "large", "1", "paid"), CATALOG).orElseThrow();
        assertEquals(5000, purchase.credits());
        assertNull(purchase.expiresAt());
    }

    @ParameterizedTest
    @CsvSource({ "0, 1", "-2, 1", "1001, 1", "two, 1", "1000, 1000", "7, 7" })
    void anOddQuantityCountsAsOne(String quantity, long counted) {
        assertEquals(500 * counted, PackPurchase.of(session("acct_42", "small", quantity, "paid"), CATALOG)
                .orElseThrow().credits());
    }

    @Test
    void unpaidUnknownOrUnassignedSessionsGrantNothing() {
        assertEquals(Optional.empty(), PackPurchase.of(session("acct_42", "small", "1", "unpaid"), CATALOG));
        assertEquals(Optional.empty(), PackPurchase.of(session("acct_42", "gigantic", "1", "paid"), CATALOG));
        ObjectNode subscriptionMode = session("acct_42", "small", "1", "paid").put("mode", "subscription");
        assertEquals(Optional.empty(), PackPurchase.of(subscriptionMode, CATALOG));
        ObjectNode nobody = session(null, "small", "1", "paid");
        nobody.remove("client_reference_id");
        assertEquals(Optional.empty(), PackPurchase.of(nobody, CATALOG));
    }

    @Test
    void metadataNamesTheAccountBeforeTheClientReference() {
        ObjectNode session = session("acct_meta", "small", "1", "paid").put("client_reference_id", "acct_ref");
        assertEquals("acct_meta", PackPurchase.of(session, CATALOG).orElseThrow().accountId());
        assertEquals("acct_ref", PackPurchase.account("acct_ref", "not json"));
        assertEquals("acct_meta", PackPurchase.account("acct_ref", "{\"account_id\":\"acct_meta\"}"));
    }

    @Test
    void claimsAndDebitsSpendExpiringCreditsFirstButAnExpiryOrAGrantDoesNot() {
        assertEquals(200, CreditLedger.spentFromExpiring("refund", -200));
        assertEquals(30, CreditLedger.spentFromExpiring("adjustment", -30));
        assertEquals(0, CreditLedger.spentFromExpiring("expiry", -300), "an expiry already emptied its grant");
        assertEquals(0, CreditLedger.spentFromExpiring("grant", 500));
        assertEquals(0, CreditLedger.spentFromExpiring("adjustment", 40));
    }

    private static ObjectNode session(String account, String pack, String quantity, String paymentStatus) {
        ObjectNode session = StripeObjects.checkoutSession("cs_test_a1B2c3", "cus_QhJ8m4a1", account, "payment",
                paymentStatus);
        session.put("payment_intent", "pi_3Pq8Zx2eZvKYlo2C").put("amount_total", 500);
        ObjectNode metadata = session.putObject("metadata").put("pack", pack).put("quantity", quantity);
        if (account != null) {
            metadata.put("account_id", account);
        }
        return session;
    }

    private static CatalogConfig.Pack pack(long credits, Optional<Duration> expiresAfter) {
        return ConfigStubs.of(CatalogConfig.Pack.class, Map.of("credits", credits, "expiresAfter", expiresAfter));
    }
}
