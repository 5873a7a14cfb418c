package dev.tollgate.tools.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The "abuse" scenario (issue 10): a normal signed stream, paced like Stripe's deliveries, while
 * {@code attackers} connections hold bodies announced as 512 KiB after one byte, for longer than the body
 * timeout (so 408s and reconnects happen), then leave. Reports the stream's non-2xx count, whether
 * /q/health/ready answered throughout (and its slowest answer), peak heap and RSS against the container's
 * limits, and acknowledgement latency before, during, in the first 2 s after and later after the attack.
 */
final class AbuseScenario {

    /** The container's memory limit (k8s/base/deployment.yaml) and hence -XX:MaxRAM. */
    static final long CONTAINER_LIMIT_MB = 512;

    private final BenchmarkRunner.ServiceProcess service;
    private final int attackers;
    private final double rate;
    private final long leadMillis;
    private final long holdMillis;

    AbuseScenario(BenchmarkRunner.ServiceProcess service, int attackers, double rate, long leadMillis,
            long holdMillis) {
        this.service = service;
        this.attackers = attackers;
        this.rate = rate;
        this.leadMillis = leadMillis;
        this.holdMillis = holdMillis;
    }

    /** Runs the stream and the attack; answers one line of figures. */
    String run(EmbeddedPostgres postgres, List<Delivery> deliveries) throws Exception {
        Probe probe = new Probe(service.managementUrl());
        probe.start();
        LoadSender.Result[] result = new LoadSender.Result[1];
        Thread stream = new Thread(() -> {
            try {
                result[0] = service.sender().send(deliveries, 32, rate);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "abuse-stream");
        stream.start();
        Thread.sleep(leadMillis);
        long attackStart = System.nanoTime();
        SlowBodyAttacker attacker = new SlowBodyAttacker(service.port(), attackers, holdMillis + 60_000).start();
        long openedMillis = (attacker.holdingSinceNanos() - attackStart) / 1_000_000;
        Thread.sleep(holdMillis);
        long leave = attacker.stop();
        stream.join(Duration.ofMinutes(5).toMillis());
        probe.stop();
        LoadSender.Result r = result[0];
        if (r == null) {
            throw new IllegalStateException("The stream did not finish");
        }
        long stored = BenchDatabase.number(postgres, "select count(*) from stripe_event");
        long unique = deliveries.stream().map(Delivery::eventId).distinct().count();
        return String.format(Locale.ROOT,
                "stream %d deliveries at %.0f/s: non2xx=%d, stored %d of %d | attacker: %d connections opened in %d ms,"
                        + " held %d s, %s | ready: %d probes, %d failed, max %.0f ms | heap peak %d MB of %d MB max,"
                        + " body buffer peak %d KB | max RSS %d MB of %d MB limit | ack ms p50/p99 before %s,"
                        + " during %s, first 2 s after leaving %s, later %s",
                r.sent(), rate, r.non2xx(), stored, unique, attackers, openedMillis, holdMillis / 1000,
                attacker.summary(), probe.probes, probe.failures, probe.maxMillis.get() / 1.0,
                probe.maxHeap.get() >> 20, probe.heapMax >> 20, probe.maxBuffered.get() >> 10, service.maxRssMb(),
                CONTAINER_LIMIT_MB, phase(r, Long.MIN_VALUE, attackStart), phase(r, attackStart, leave),
                phase(r, leave, leave + 2_000_000_000L), phase(r, leave + 2_000_000_000L, Long.MAX_VALUE));
    }

    /** p50/p99 (n) of the deliveries sent in [from, to). */
    private static String phase(LoadSender.Result r, long from, long to) {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < r.sentNanos().length; i++) {
            if (r.sentNanos()[i] >= from && r.sentNanos()[i] < to) {
                latencies.add(r.latenciesMicros()[i]);
            }
        }
        if (latencies.isEmpty()) {
            return "-";
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "%.1f/%.1f (n=%d)", at(sorted, 50), at(sorted, 99), sorted.length);
    }

    private static double at(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(index, 0)] / 1000.0;
    }

    /**
     * Probes readiness every 100 ms (5 s timeout: a probe that takes longer has failed, as a kubelet's
     * would) and reads heap use and the webhook body buffer from /q/metrics every 500 ms.
     */
    private static final class Probe {
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong maxMillis = new AtomicLong();
        private final AtomicLong maxHeap = new AtomicLong();
        private final AtomicLong maxBuffered = new AtomicLong();
        private final Thread thread = new Thread(this::loop, "abuse-probe");
        private volatile long heapMax;
        private int probes;
        private int failures;

        Probe(String base) {
            this.base = base;
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }

        private void loop() {
            HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build();
            HttpRequest metrics = HttpRequest.newBuilder(URI.create(base + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build();
            // Bounded: the scenario stops it; at most ten minutes in any case.
            long deadline = System.currentTimeMillis() + 600_000;
            for (int tick = 0; running.get() && System.currentTimeMillis() < deadline; tick++) {
                long start = System.nanoTime();
                try {
                    int status = client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
                    failures += status == 200 ? 0 : 1;
                } catch (IOException e) {
                    failures++;
                } catch (InterruptedException e) {
                    return;
                }
                probes++;
                maxMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                if (tick % 5 == 0) {
                    readMetrics(metrics);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void readMetrics(HttpRequest metrics) {
            try {
                String text = client.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
                long used = 0;
                long max = 0;
                for (String line : text.split("\n")) {
                    if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                        used += value(line);
                    } else if (line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\"")) {
                        max += Math.max(0, value(line));
                    } else if (line.startsWith("tollgate_webhook_body_buffered_bytes")) {
                        maxBuffered.accumulateAndGet(value(line), Math::max);
                    }
                }
                maxHeap.accumulateAndGet(used, Math::max);
                heapMax = max;
            } catch (IOException | InterruptedException | RuntimeException e) {
                // a missed sample; readiness is what counts as failure
            }
        }

        private static long value(String line) {
            String[] parts = line.trim().split("\\s+");
            return (long) Double.parseDouble(parts[parts.length - 1]);
        }
    }
}
