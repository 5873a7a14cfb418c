package dev.tollgate.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * CPU time used by the three parties of a benchmark on the shared machine (the service, PostgreSQL and
 * this load generator), read from {@code /proc}: which of them a run's time went to is what says where
 * an optimisation can still pay off. Linux only; elsewhere every figure is 0.
 */
record CpuTime(long serviceMillis, long postgresMillis, long loadGeneratorMillis) {

    /** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every common platform. */
    private static final long MILLIS_PER_TICK = 10;

    static CpuTime now(long servicePid) {
        long postgres = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .mapToLong(p -> millis(p.pid())).sum();
        return new CpuTime(millis(servicePid), postgres, millis(ProcessHandle.current().pid()));
    }

    CpuTime since(CpuTime start) {
        return new CpuTime(serviceMillis - start.serviceMillis, postgresMillis - start.postgresMillis,
                loadGeneratorMillis - start.loadGeneratorMillis);
    }

    /** Microseconds of CPU per event for each party, e.g. "service 412 us, postgres 120 us, load 150 us". */
    String perEvent(long events) {
        return String.format(Locale.ROOT, "CPU per event: service %d us, postgres %d us, load generator %d us",
                serviceMillis * 1000 / events, postgresMillis * 1000 / events, loadGeneratorMillis * 1000 / events);
    }

    /** utime + stime of one process; 0 when it is gone or /proc is not there. */
    private static long millis(long pid) {
        return threadMillisIf(Path.of("/proc/" + pid), name -> true);
    }

    /**
     * utime + stime of a /proc/[pid] or /proc/[pid]/task/[tid] entry whose command name passes
     * {@code nameTest}; 0 otherwise, or when it is gone.
     */
    static long threadMillisIf(Path procEntry, Predicate<String> nameTest) {
        try {
            String stat = Files.readString(procEntry.resolve("stat"));
            // The command name (field 2, in parentheses) may contain spaces; the fields after it are numbers.
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            if (!nameTest.test(name)) {
                return 0;
            }
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
