package dev.tollgate.invoices;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.tollgate.testing.TestTokens;

/** An account's live stream, read line by line in the background, for a test to wait for one event. */
final class LiveLines implements AutoCloseable {

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;

    LiveLines(URI streamUrl, String account) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(streamUrl)
                .header("Authorization", "Bearer " + TestTokens.user(account))
                .header("Accept", "text/event-stream").build();
        response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .get(10, TimeUnit.SECONDS);
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (java.io.UncheckedIOException closedByTheTest) {
                // the end of the test closes the stream
            }
        });
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(300); // the subscription is registered once the response has started
    }

    /** The first data line containing {@code text} within 15 s, or null; {@code seen} collects every line read. */
    String await(String text, List<String> seen) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            String line = lines.poll(500, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.startsWith("data:") && line.contains(text)) {
                    return line;
                }
            }
        }
        return null;
    }

    String await(String text) throws InterruptedException {
        return await(text, new ArrayList<>());
    }

    @Override
    public void close() {
        response.body().close();
    }
}
