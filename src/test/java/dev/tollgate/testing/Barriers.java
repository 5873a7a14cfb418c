package dev.tollgate.testing;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starting lines for races: every party waits until all have arrived, but never longer than a deadline. */
public final class Barriers {

    private static final long DEADLINE_SECONDS = 30;

    private Barriers() {
    }

    /** Waits at {@code barrier}; a party that never arrives fails the race instead of hanging the build. */
    public static void await(CyclicBarrier barrier) {
        try {
            barrier.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at the starting line", e);
        } catch (BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("not every party reached the starting line within "
                    + DEADLINE_SECONDS + " s", e);
        }
    }
}
