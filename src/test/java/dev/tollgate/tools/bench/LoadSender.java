package dev.tollgate.tools.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.tollgate.testing.StripeEvents;

/**
 * Posts deliveries signed, like Stripe, from {@code concurrency} threads, either as fast as the
 * service answers or paced to a target rate, and records each acknowledgement's latency.
 */
public final class LoadSender {

    /** What a run measured. Latencies in microseconds. */
    public record Result(int sent, int non2xx, long firstSendNanos, long lastAckNanos, long[] latenciesMicros) {

        public double seconds() {
            return (lastAckNanos - firstSendNanos) / 1e9;
        }

        public double perSecond() {
            return sent / seconds();
        }

        public double percentileMillis(double p) {
            long[] sorted = latenciesMicros.clone();
            Arrays.sort(sorted);
            if (sorted.length == 0) {
                return 0;
            }
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
            return sorted[Math.max(index, 0)] / 1000.0;
        }
    }

    private final URI endpoint;
    private final String secret;
    private final HttpClient client;

    public LoadSender(String baseUrl, String secret, int concurrency) {
        this.endpoint = URI.create(baseUrl + "/v1/webhooks/stripe");
        this.secret = secret;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(Math.max(2, concurrency / 4)))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Sends everything; {@code ratePerSecond <= 0} means as fast as possible. */
    public Result send(List<Delivery> deliveries, int concurrency, double ratePerSecond) throws InterruptedException {
        long[] latencies = new long[deliveries.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger non2xx = new AtomicInteger();
        AtomicLong lastAck = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        double intervalNanos = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        for (int w = 0; w < concurrency; w++) {
            workers.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < deliveries.size()) {
                    if (intervalNanos > 0) {
                        long due = start + (long) (i * intervalNanos);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            sleepNanos(wait);
                        }
                    }
                    Delivery d = deliveries.get(i);
                    long sent = System.nanoTime();
                    int status = post(d);
                    long acked = System.nanoTime();
                    latencies[i] = (acked - sent) / 1000;
                    lastAck.accumulateAndGet(acked, Math::max);
                    if (status < 200 || status > 299) {
                        non2xx.incrementAndGet();
                    }
                }
            });
        }
        workers.shutdown();
        workers.awaitTermination(1, TimeUnit.HOURS);
        return new Result(deliveries.size(), non2xx.get(), start, lastAck.get(), latencies);
    }

    private int post(Delivery delivery) {
        // Signed at send time, as Stripe does: the timestamp must be fresh.
        String signature = StripeEvents.sign(delivery.payload(), secret);
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8").header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(delivery.payload())).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return 599;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 599;
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
