package dev.tollgate.testing;

import java.time.Duration;

import org.awaitility.Awaitility;

/** Waits on the wall clock, for tests of the simulator, whose steps must not share a second. */
public final class WallClock {

    private WallClock() {
    }

    /**
     * Waits for the next wall-clock second. Stripe's versions have one-second resolution, and the simulator's
     * re-read of a tied subscription answers from the mirror: a change stored in the same second as the webhook
     * of the step before (checkout then cancel, cancel then resume) cannot be told apart by the version guard,
     * so simulator tests space their steps a second apart, as a person's clicks are.
     */
    public static void nextSecond() {
        long second = System.currentTimeMillis() / 1000;
        Awaitility.await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(2))
                .until(() -> System.currentTimeMillis() / 1000 > second);
    }
}
