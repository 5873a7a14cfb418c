package dev.tollgate.tools.bench;

import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * A closed loop over keep-alive connections for a fixed time: each lane sends its next API request as
 * soon as the previous one is answered, and every latency is recorded. Non-blocking (Vert.x), so the
 * load generator leaves as much of the shared machine as possible to the service and PostgreSQL.
 */
final class ApiLoad implements AutoCloseable {

    /** One request: method, path, bearer token, JSON body (null for GET). */
    record Call(HttpMethod method, String path, String token, String body) {
        static Call get(String path, String token) {
            return new Call(HttpMethod.GET, path, token, null);
        }

        static Call post(String path, String token, String body) {
            return new Call(HttpMethod.POST, path, token, body);
        }
    }

    /** Latencies in microseconds; {@code okIndexes}: the request numbers answered 2xx. */
    record Result(int count, int non2xx, double seconds, long[] latenciesMicros, int[] okIndexes) {
        double perSecond() {
            return count / seconds;
        }

        double percentileMillis(double p) {
            return ApiLoad.percentileMillis(latenciesMicros, p);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final java.util.concurrent.atomic.AtomicReference<Throwable> lastError = new java.util.concurrent.atomic.AtomicReference<>();
    private long start;
    private double intervalNanos;
    private final HttpClient client;

    ApiLoad(String baseUrl, int connections) {
        URI uri = URI.create(baseUrl);
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(uri.getHost())
                .setDefaultPort(uri.getPort()).setKeepAlive(true).setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    static double percentileMillis(long[] micros, double p) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(index, 0)] / 1000.0;
    }

    Result run(IntFunction<Call> calls, int lanes, java.time.Duration duration) throws InterruptedException {
        return run(calls, lanes, duration, 0);
    }

    /** {@code ratePerSecond > 0}: request i is sent no earlier than start + i / rate (latency from then). */
    Result run(IntFunction<Call> calls, int lanes, java.time.Duration duration, double ratePerSecond)
            throws InterruptedException {
        long start = System.nanoTime();
        this.start = start;
        this.intervalNanos = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        long end = start + duration.toNanos();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger non2xx = new AtomicInteger();
        ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(lanes);
        for (int l = 0; l < lanes; l++) {
            sendNext(calls, end, next, non2xx, samples, done);
        }
        boolean finished = done.await(duration.toSeconds() + 15, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!finished) {
            // Reported, not hidden: the figures then cover fewer lanes for part of the run.
            System.out.printf("  (load generator: %d of %d lanes had no answer 15 s after the run; last error: %s)%n",
                    done.getCount(), lanes, lastError.get());
            seconds = duration.toNanos() / 1e9;
        }
        long[] latencies = samples.stream().mapToLong(s -> s[1]).toArray();
        int[] ok = samples.stream().filter(s -> s[2] == 1).mapToInt(s -> (int) s[0]).toArray();
        return new Result(latencies.length, non2xx.get(), seconds, latencies, ok);
    }

    private void sendNext(IntFunction<Call> calls, long end, AtomicInteger next, AtomicInteger non2xx,
            ConcurrentLinkedQueue<long[]> samples, CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        int i = next.getAndIncrement();
        long waitMillis = intervalNanos > 0
                ? TimeUnit.NANOSECONDS.toMillis(start + (long) (i * intervalNanos) - System.nanoTime())
                : 0;
        if (waitMillis >= 1) {
            vertx.setTimer(waitMillis, t -> send(i, calls, end, next, non2xx, samples, done));
        } else {
            send(i, calls, end, next, non2xx, samples, done);
        }
    }

    private void send(int i, IntFunction<Call> calls, long end, AtomicInteger next, AtomicInteger non2xx,
            ConcurrentLinkedQueue<long[]> samples, CountDownLatch done) {
        Call call = calls.apply(i);
        long sent = System.nanoTime();
        client.request(new RequestOptions().setMethod(call.method()).setURI(call.path()).setIdleTimeout(10_000)
                .setConnectTimeout(10_000))
                .compose(request -> {
                    request.putHeader("Authorization", "Bearer " + call.token());
                    if (call.body() == null) {
                        return request.send();
                    }
                    return request.putHeader("Content-Type", "application/json").send(Buffer.buffer(call.body()));
                })
                .compose(response -> response.body().map(body -> response.statusCode()))
                .onComplete(outcome -> {
                    if (outcome.failed()) {
                        lastError.set(outcome.cause());
                    }
                    int status = outcome.succeeded() ? outcome.result() : 599;
                    boolean ok = status >= 200 && status <= 299;
                    if (!ok) {
                        non2xx.incrementAndGet();
                    }
                    samples.add(new long[] { i, (System.nanoTime() - sent) / 1000, ok ? 1 : 0 });
                    sendNext(calls, end, next, non2xx, samples, done);
                });
    }

    @Override
    public void close() {
        vertx.close();
    }
}
