package dev.tollgate.tools.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The attack of issue 10, for the "abuse" benchmark scenario: {@code connections} sockets to the webhook
 * on the loopback interface, each announcing a 512 KiB body and sending one byte, then holding. A
 * connection the service answers (408 after its body timeout, 503 when the budget is full) or closes is
 * replaced at once, so the pressure lasts until {@link #stop()}. One thread and one selector: 2,000
 * connections cost the load generator next to nothing. Bounded: it runs at most {@code maxMillis}.
 */
final class SlowBodyAttacker {

    static final int ANNOUNCED = 524_288;

    private final int port;
    private final int connections;
    private final long maxMillis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Integer> answers = new TreeMap<>();
    private final Thread thread;
    private volatile long holdingSinceNanos;
    private volatile long stoppedNanos;
    private int opened;
    private int failedConnects;
    private Selector selector;

    SlowBodyAttacker(int port, int connections, long maxMillis) {
        this.port = port;
        this.connections = connections;
        this.maxMillis = maxMillis;
        this.thread = new Thread(this::run, "slow-body-attacker");
        thread.setDaemon(true);
    }

    /** Opens every connection, then returns; the attack goes on in the background. */
    SlowBodyAttacker start() throws InterruptedException {
        thread.start();
        while (holdingSinceNanos == 0 && thread.isAlive()) {
            Thread.sleep(5);
        }
        return this;
    }

    long holdingSinceNanos() {
        return holdingSinceNanos;
    }

    /** Closes every connection (the attacker leaves); answers when they are closed. */
    long stop() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
        return stoppedNanos;
    }

    private void run() {
        long deadline = System.currentTimeMillis() + maxMillis;
        try (Selector s = Selector.open()) {
            selector = s;
            for (int i = 0; i < connections; i++) {
                connect();
            }
            holdingSinceNanos = System.nanoTime();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (running.get() && System.currentTimeMillis() < deadline) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    buffer.clear();
                    int n;
                    try {
                        n = channel.read(buffer);
                    } catch (IOException e) {
                        n = -1;
                    }
                    String status = n > 12 ? new String(buffer.array(), 9, 3, StandardCharsets.US_ASCII) : "closed";
                    answers.merge(status, 1, Integer::sum);
                    key.cancel();
                    channel.close();
                    connect();
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            stoppedNanos = System.nanoTime();
        } catch (IOException e) {
            throw new IllegalStateException("The attacker failed", e);
        } finally {
            if (holdingSinceNanos == 0) {
                holdingSinceNanos = System.nanoTime();
            }
        }
    }

    private void connect() {
        String head = "POST /v1/webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/json\r\nStripe-Signature: t=1,v1=00\r\nContent-Length: " + ANNOUNCED
                + "\r\n\r\n{";
        try {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            opened++;
        } catch (IOException e) {
            failedConnects++;
        }
    }

    /** What the service answered the attacker's connections, by status ("closed" without an answer). */
    String summary() {
        return "opened " + opened + " connections (" + failedConnects + " refused), answers " + answers;
    }
}
