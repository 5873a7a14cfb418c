package dev.tollgate.tools.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

    /** What a run measured. Latencies in microseconds; each delivery's send time (System.nanoTime()). */
    public record Result(int sent, int non2xx, long firstSendNanos, long lastAckNanos, long[] latenciesMicros,
            long[] sentNanos) {

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

    private final ThreadLocal<Signer> signer;
    private final Vertx vertx;
    private final HttpClient client;

    public LoadSender(String baseUrl, String secret, int maxConnections) {
        URI uri = URI.create(baseUrl);
        this.signer = ThreadLocal.withInitial(() -> new Signer(secret));
        this.vertx = Vertx.vertx();
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(uri.getHost())
                .setDefaultPort(uri.getPort()).setKeepAlive(true).setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(maxConnections));
    }

    /** Sends everything; {@code ratePerSecond <= 0} means as fast as possible. */
    public Result send(List<Delivery> deliveries, int concurrency, double ratePerSecond) throws InterruptedException {
        long[] latencies = new long[deliveries.size()];
        long[] sentAt = new long[deliveries.size()];
        // Encoded once up front; only the signature is made at send time, as Stripe does.
        Buffer[] bodies = deliveries.stream().map(d -> Buffer.buffer(d.payload().getBytes(StandardCharsets.UTF_8)))
                .toArray(Buffer[]::new);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger non2xx = new AtomicInteger();
        AtomicLong lastAck = new AtomicLong();
        CountDownLatch lanesDone = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        double intervalNanos = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        Lane lane = new Lane(bodies, latencies, sentAt, next, non2xx, lastAck, lanesDone, start, intervalNanos);
        for (int l = 0; l < concurrency; l++) {
            lane.sendNext();
        }
        lanesDone.await(1, TimeUnit.HOURS);
        return new Result(deliveries.size(), non2xx.get(), start, lastAck.get(), latencies, sentAt);
    }

    /** The closed loop shared by all lanes: take the next delivery, wait for its slot, post, repeat. */
    private final class Lane {
        private final Buffer[] bodies;
        private final long[] latencies;
        private final long[] sentAt;
        private final AtomicInteger next;
        private final AtomicInteger non2xx;
        private final AtomicLong lastAck;
        private final CountDownLatch lanesDone;
        private final long start;
        private final double intervalNanos;

        Lane(Buffer[] bodies, long[] latencies, long[] sentAt, AtomicInteger next, AtomicInteger non2xx, AtomicLong lastAck,
                CountDownLatch lanesDone, long start, double intervalNanos) {
            this.bodies = bodies;
            this.latencies = latencies;
            this.sentAt = sentAt;
            this.next = next;
            this.non2xx = non2xx;
            this.lastAck = lastAck;
            this.lanesDone = lanesDone;
            this.start = start;
            this.intervalNanos = intervalNanos;
        }

        void sendNext() {
            int i = next.getAndIncrement();
            if (i >= bodies.length) {
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
            Buffer body = bodies[i];
            // Signed at send time, as Stripe does: the timestamp must be fresh.
            String signature = signer.get().sign(body);
            long sent = System.nanoTime();
            sentAt[i] = sent;
            client.request(HttpMethod.POST, PATH)
                    .compose(request -> request.putHeader("Content-Type", "application/json; charset=utf-8")
                            .putHeader("Stripe-Signature", signature).send(body))
                    .compose(response -> response.body().map(answer -> response.statusCode()))
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

    /** Stripe's scheme, t=...,v1=HMAC-SHA256("t.body"), with one Mac per thread instead of one per call. */
    private static final class Signer {
        private final Mac mac;

        Signer(String secret) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        String sign(Buffer body) {
            long t = System.currentTimeMillis() / 1000;
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
        }
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
