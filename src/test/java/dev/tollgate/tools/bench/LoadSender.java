package dev.tollgate.tools.bench;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.tollgate.testing.StripeEvents;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;

/**
 * Posts deliveries signed, like Stripe, over {@code concurrency} keep-alive connections, each sending
 * its next request when the previous one is answered, either as fast as the service answers or paced
 * to a target rate, and records each acknowledgement's latency. Non-blocking (Vert.x), so the load
 * generator leaves as much of the shared machine as possible to the service and PostgreSQL.
 */
public final class LoadSender implements AutoCloseable {

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

    private static final String PATH = "/v1/webhooks/stripe";

    private final String secret;
    private final Vertx vertx;
    private final HttpClient client;

    public LoadSender(String baseUrl, String secret, int concurrency) {
        URI uri = URI.create(baseUrl);
        this.secret = secret;
        this.vertx = Vertx.vertx();
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(uri.getHost())
                .setDefaultPort(uri.getPort()).setKeepAlive(true).setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(concurrency));
    }

    /** Sends everything; {@code ratePerSecond <= 0} means as fast as possible. */
    public Result send(List<Delivery> deliveries, int concurrency, double ratePerSecond) throws InterruptedException {
        long[] latencies = new long[deliveries.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger non2xx = new AtomicInteger();
        AtomicLong lastAck = new AtomicLong();
        CountDownLatch lanesDone = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        double intervalNanos = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        Lane lane = new Lane(deliveries, latencies, next, non2xx, lastAck, lanesDone, start, intervalNanos);
        for (int l = 0; l < concurrency; l++) {
            lane.sendNext();
        }
        lanesDone.await(1, TimeUnit.HOURS);
        return new Result(deliveries.size(), non2xx.get(), start, lastAck.get(), latencies);
    }

    /** The closed loop shared by all lanes: take the next delivery, wait for its slot, post, repeat. */
    private final class Lane {
        private final List<Delivery> deliveries;
        private final long[] latencies;
        private final AtomicInteger next;
        private final AtomicInteger non2xx;
        private final AtomicLong lastAck;
        private final CountDownLatch lanesDone;
        private final long start;
        private final double intervalNanos;

        Lane(List<Delivery> deliveries, long[] latencies, AtomicInteger next, AtomicInteger non2xx, AtomicLong lastAck,
                CountDownLatch lanesDone, long start, double intervalNanos) {
            this.deliveries = deliveries;
            this.latencies = latencies;
            this.next = next;
            this.non2xx = non2xx;
            this.lastAck = lastAck;
            this.lanesDone = lanesDone;
            this.start = start;
            this.intervalNanos = intervalNanos;
        }

        void sendNext() {
            int i = next.getAndIncrement();
            if (i >= deliveries.size()) {
                lanesDone.countDown();
                return;
            }
            long waitMillis = intervalNanos > 0
                    ? TimeUnit.NANOSECONDS.toMillis(start + (long) (i * intervalNanos) - System.nanoTime())
                    : 0;
            if (waitMillis >= 1) {
                vertx.setTimer(waitMillis, t -> post(i));
            } else {
                post(i);
            }
        }

        private void post(int i) {
            Delivery delivery = deliveries.get(i);
            // Signed at send time, as Stripe does: the timestamp must be fresh.
            String signature = StripeEvents.sign(delivery.payload(), secret);
            long sent = System.nanoTime();
            client.request(HttpMethod.POST, PATH)
                    .compose(request -> request.putHeader("Content-Type", "application/json; charset=utf-8")
                            .putHeader("Stripe-Signature", signature).send(Buffer.buffer(delivery.payload())))
                    .compose(response -> response.body().map(body -> response.statusCode()))
                    .onComplete(outcome -> {
                        long acked = System.nanoTime();
                        latencies[i] = (acked - sent) / 1000;
                        lastAck.accumulateAndGet(acked, Math::max);
                        int status = outcome.succeeded() ? outcome.result() : 599;
                        if (status < 200 || status > 299) {
                            non2xx.incrementAndGet();
                        }
                        sendNext();
                    });
        }
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
