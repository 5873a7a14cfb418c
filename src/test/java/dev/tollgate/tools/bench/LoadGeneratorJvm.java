package dev.tollgate.tools.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets the load generator's own JVM go quiet before a measurement starts. Generating a stream of
 * 17,000 events leaves the JIT compiler a queue of work and the heap full of garbage, and whatever CPU
 * the load generator spends inside the timed window is taken from the service under test on this
 * two-core machine. (The largest such cost, recompiling the HTTP client for a new Vert.x instance, is
 * avoided by {@link BenchmarkRunner} sending the warm-up and the measurement through one client.)
 */
final class LoadGeneratorJvm {

    private static final long POLL_MILLIS = 200;
    private static final int QUIET_POLLS = 3;
    private static final long MAX_WAIT_MILLIS = 30_000;

    private LoadGeneratorJvm() {
    }

    /**
     * Collects the garbage, then waits until the JIT compiler threads have used no CPU for a few polls
     * in a row (read from /proc: the compilation-time counter only moves when a compilation ends, and
     * one large compilation can run for a second).
     */
    static void settle() throws InterruptedException {
        System.gc();
        long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
        long last = compilerMillis();
        int quiet = 0;
        while (quiet < QUIET_POLLS && System.currentTimeMillis() < deadline) {
            Thread.sleep(POLL_MILLIS);
            long now = compilerMillis();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    /** CPU time of this JVM's JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre"). */
    private static long compilerMillis() {
        long total = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path thread : threads) {
                total += CpuTime.threadMillisIf(thread, name -> name.contains("CompilerThre"));
            }
        } catch (IOException e) {
            return 0; // not Linux: nothing to wait for
        }
        return total;
    }
}
