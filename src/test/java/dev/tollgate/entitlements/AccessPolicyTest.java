package dev.tollgate.entitlements;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tollgate.subscription.CurrentSubscription;
import dev.tollgate.testing.ConfigStubs;

/** Which subscription states grant their plan, and until when: the rule alone, no Quarkus. */
class AccessPolicyTest {

    /** A monthly period: 2026-09-01 to 2026-10-01, the renewal of 2026-09-01 failed (past_due). */
    private static final OffsetDateTime PERIOD_START = OffsetDateTime.of(2026, 9, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime PERIOD_END = PERIOD_START.plusMonths(1);
    private static final Duration GRACE = Duration.ofDays(7);

    private final AccessPolicy policy = new AccessPolicy(
            ConfigStubs.of(EntitlementsConfig.class, Map.of("pastDueGrace", GRACE)));

    @ParameterizedTest
    @ValueSource(strings = { "active", "trialing" })
    void activeAndTrialingGrantThePlanWhateverTheDate(String status) {
        assertTrue(policy.grantsPlan(subscription(status, null), PERIOD_START.plusDays(3)));
        assertTrue(policy.grantsPlan(subscription(status, null), PERIOD_END.plusYears(1)),
                "Stripe's status decides, not our clock");
    }

    @Test
    void pastDueGrantsThePlanForTheGracePeriodAfterTheFailedRenewalOnly() {
        CurrentSubscription pastDue = subscription("past_due", null);
        assertTrue(policy.grantsPlan(pastDue, PERIOD_START));
        assertTrue(policy.grantsPlan(pastDue, PERIOD_START.plus(GRACE).minusSeconds(1)));
        assertFalse(policy.grantsPlan(pastDue, PERIOD_START.plus(GRACE)), "the grace ends exactly after 7 days");
        assertFalse(policy.grantsPlan(pastDue, PERIOD_START.plusDays(20)));
    }

    @Test
    void pastDueWithoutAKnownPeriodStartGrantsNothing() {
        CurrentSubscription unknownPeriod = new CurrentSubscription("sub_1", "cus_1", "past_due",
                "price_pro_monthly", 1L, null, PERIOD_END, null, false, null, null);
        assertFalse(policy.grantsPlan(unknownPeriod, PERIOD_START.plusDays(1)));
    }

    @Test
    void aLongerConfiguredGraceIsHonoured() {
        AccessPolicy lenient = new AccessPolicy(
                ConfigStubs.of(EntitlementsConfig.class, Map.of("pastDueGrace", Duration.ofDays(14))));
        assertTrue(lenient.grantsPlan(subscription("past_due", null), PERIOD_START.plusDays(10)));
        assertFalse(policy.grantsPlan(subscription("past_due", null), PERIOD_START.plusDays(10)));
    }

    @Test
    void canceledAtPeriodEndKeepsThePlanUntilThatEnd() {
        // Stripe reports canceled with ended_at unset while the paid period runs out.
        CurrentSubscription canceled = subscription("canceled", null);
        assertTrue(policy.grantsPlan(canceled, PERIOD_END.minusSeconds(1)));
        assertFalse(policy.grantsPlan(canceled, PERIOD_END), "access ends with the period");
        assertFalse(policy.grantsPlan(canceled, PERIOD_END.plusDays(1)));
    }

    @Test
    void canceledAndEndedGrantsNothingEvenInsideThePeriod() {
        CurrentSubscription ended = subscription("canceled", PERIOD_START.plusDays(5));
        assertFalse(policy.grantsPlan(ended, PERIOD_START.plusDays(6)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "unpaid", "paused", "incomplete", "incomplete_expired", "something_new" })
    void everyOtherStatusFallsBackToTheDefaultPlan(String status) {
        assertFalse(policy.grantsPlan(subscription(status, null), PERIOD_START.plusDays(1)));
    }

    private static CurrentSubscription subscription(String status, OffsetDateTime endedAt) {
        return new CurrentSubscription("sub_1PqZ8x2eZvKYlo2C", "cus_QhJ8m4a1", status, "price_pro_monthly", 1L,
                PERIOD_START, PERIOD_END, null, "canceled".equals(status) && endedAt == null, null, endedAt);
    }
}
