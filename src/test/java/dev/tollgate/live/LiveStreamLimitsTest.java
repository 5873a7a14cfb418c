package dev.tollgate.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.account.Roles;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

/**
 * Live streams are bounded (test profile: 3 per account, 8 per instance), leave the registry however they
 * end, and end when their token expires. Raw sockets, so that "the client left" is a closed connection.
 */
@QuarkusTest
class LiveStreamLimitsTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    LiveStreams streams;

    private final List<RawStream> opened = new ArrayList<>();

    @BeforeEach
    void noStreamIsOpen() {
        await().atMost(Duration.ofSeconds(15)).until(() -> streams.count() == 0);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(RawStream::close);
    }

    @Test
    void racingOpensOfOneAccountGetExactlyItsCapAndTheRestA429() throws Exception {
        String account = StripeEvents.newId("acct");
        String token = TestTokens.user(account);

        List<RawStream> answers = race(10, i -> token);

        List<RawStream> accepted = answers.stream().filter(s -> s.status == 200).toList();
        List<RawStream> refused = answers.stream().filter(s -> s.status == 429).toList();
        assertEquals(3, accepted.size(), "tollgate.live.max-streams-per-account=3; answers " + statuses(answers));
        assertEquals(7, refused.size(), statuses(answers));
        for (RawStream answer : refused) {
            assertTrue(answer.head.contains("application/problem+json"), answer.head);
            assertTrue(answer.head.toLowerCase().contains("retry-after: 10"), answer.head);
            assertTrue(answer.head.contains("already has 3 open live streams"), answer.head);
        }
        assertEquals(3, streams.count(account));
        assertEquals(3, streams.count());

        accepted.forEach(RawStream::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.count() == 0);
        assertEquals(0, streams.count(account));
        // Freed slots can be used again.
        assertEquals(200, open(token).status);
    }

    @Test
    void racingOpensOfManyAccountsGetExactlyTheInstanceCap() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            tokens.add(TestTokens.user(StripeEvents.newId("acct")));
        }

        List<RawStream> answers = race(tokens.size(), tokens::get);

        assertEquals(8, answers.stream().filter(s -> s.status == 200).count(),
                "tollgate.live.max-streams=8; answers " + statuses(answers));
        assertEquals(6, answers.stream().filter(s -> s.status == 429).count(), statuses(answers));
        assertTrue(answers.stream().filter(s -> s.status == 429)
                .allMatch(s -> s.head.contains("This instance already serves 8 live streams")));
        assertEquals(8, streams.count());

        answers.forEach(RawStream::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.count() == 0);
    }

    @Test
    void streamGetsHeartbeatsAndEndsWithTokenExpiredWhenItsTokenExpires() throws Exception {
        String account = StripeEvents.newId("acct");
        String token = Jwt.subject(account).groups(Set.of(Roles.USER)).expiresIn(3).sign();

        RawStream stream = open(token);
        assertEquals(200, stream.status, stream.head);
        assertEquals(1, streams.count(account));

        String body = stream.readUntil("\"token-expired\"}", Duration.ofSeconds(10));
        assertTrue(body.contains("\"kind\":\"heartbeat\""), "a heartbeat (every 1 s in tests) came first: " + body);
        assertTrue(body.contains("\"kind\":\"token-expired\""), body);
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.count(account) == 0);
        assertEquals(0, streams.count());
    }

    private List<RawStream> race(int clients, java.util.function.IntFunction<String> tokenOf) throws Exception {
        CyclicBarrier start = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<RawStream>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    RawStream stream = RawStream.connect(base);
                    start.await(10, TimeUnit.SECONDS);
                    stream.request(tokenOf.apply(n));
                    return stream;
                }));
            }
            List<RawStream> answers = new ArrayList<>();
            for (Future<RawStream> future : futures) {
                RawStream stream = future.get(30, TimeUnit.SECONDS);
                opened.add(stream);
                answers.add(stream);
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private RawStream open(String token) throws IOException {
        RawStream stream = RawStream.connect(base);
        opened.add(stream);
        stream.request(token);
        return stream;
    }

    private static String statuses(List<RawStream> answers) {
        return answers.stream().map(s -> Integer.toString(s.status)).toList().toString();
    }

    /** One HTTP/1.1 connection asking for the stream; closing it is the client leaving. */
    static final class RawStream {

        private final Socket socket;
        private final URI base;
        int status;
        String head = "";

        private RawStream(Socket socket, URI base) {
            this.socket = socket;
            this.base = base;
        }

        static RawStream connect(URI base) throws IOException {
            Socket socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout(10_000);
            return new RawStream(socket, base);
        }

        /** Sends the request and reads the status line and headers (and a refusal's body). */
        void request(String token) throws IOException {
            String request = "GET /v1/billing/stream HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = read("\r\n\r\n", Duration.ofSeconds(10));
            status = Integer.parseInt(answer.substring(9, 12));
            head = answer;
            if (status != 200) {
                // The problem document follows the headers; read what arrives within a moment.
                head = answer + readAvailable(Duration.ofMillis(500));
            }
        }

        String readUntil(String marker, Duration timeout) throws IOException {
            return read(marker, timeout);
        }

        private String read(String marker, Duration timeout) throws IOException {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                seen.write(b);
                if (seen.toString(StandardCharsets.UTF_8).endsWith(marker)) {
                    return seen.toString(StandardCharsets.UTF_8);
                }
            }
            throw new AssertionError("No \"" + marker + "\" within " + timeout + "; got " + seen);
        }

        private String readAvailable(Duration wait) throws IOException {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            socket.setSoTimeout((int) wait.toMillis());
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    seen.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // nothing more for now
            } finally {
                socket.setSoTimeout(10_000);
            }
            return seen.toString(StandardCharsets.UTF_8);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
