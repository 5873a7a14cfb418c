package dev.tollgate.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateWindowsTest {

    @Test
    void manyDistinctKeysNeverGrowItBeyondItsCapacity() {
        RateWindows windows = new RateWindows(1_000);
        for (int i = 0; i < 200_000; i++) {
            assertEquals(0, windows.acquire("account:" + i, 1_000, 60_000, 3));
            assertTrue(windows.size() <= 1_000);
        }
        assertEquals(1_000, windows.size());
    }

    @Test
    void aKeyOverItsLimitWaitsForTheEndOfItsWindowAndThenStartsAgain() {
        RateWindows windows = new RateWindows(10);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, windows.acquire("a", 10_000, 60_000, 3));
        }
        assertEquals(45_000, windows.acquire("a", 25_000, 60_000, 3));
        assertEquals(0, windows.acquire("b", 25_000, 60_000, 3), "another key has its own window");
        assertEquals(0, windows.acquire("a", 70_000, 60_000, 3), "a new window starts after the old one ends");
    }

    @Test
    void anActiveKeyIsKeptWhileIdleOnesAreDropped() {
        RateWindows windows = new RateWindows(100);
        for (int i = 0; i < 3; i++) {
            windows.acquire("busy", 0, 60_000, 3);
        }
        for (int i = 0; i < 1_000; i++) {
            windows.acquire("idle-" + i, 0, 60_000, 3);
            windows.acquire("busy", 0, 60_000, 3); // still over its limit: touching it keeps it
        }
        assertTrue(windows.acquire("busy", 0, 60_000, 3) > 0, "the busy key was not forgotten");
    }
}
