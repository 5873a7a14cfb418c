package dev.tollgate.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The live stream tells an account about its own changes, and nobody else's. */
@QuarkusTest
class LiveUpdatesTest {

    @Inject
    Db db;

    @Inject
    LiveStreams streams;

    @TestHTTPResource("/v1/billing/stream")
    URI streamUrl;

    @Test
    void creditsGrantedByAWebhookReachOnlyTheirAccountsStream() throws Exception {
        String watched = StripeEvents.newId("acct");
        String other = StripeEvents.newId("acct");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(streamUrl).header("Authorization", "Bearer " + TestTokens.user(watched))
                .header("Accept", "text/event-stream").build();
        CompletableFuture<HttpResponse<Stream<String>>> response = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> open = response.get(10, TimeUnit.SECONDS);
        assertEquals(200, open.statusCode());
        Thread reader = new Thread(() -> {
            try {
                open.body().forEach(lines::add);
            } catch (java.io.UncheckedIOException closedByTheTest) {
                // the end of the test closes the stream
            }
        });
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(300); // the subscription is registered once the response has started

        grantPack(other);
        grantPack(watched);

        String event = null;
        List<String> seen = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 15_000;
        while (event == null && System.currentTimeMillis() < deadline) {
            String line = lines.poll(500, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.startsWith("data:") && line.contains("\"credits\"")) {
                    event = line;
                }
            }
        }
        assertNotNull(event, "a credits event arrived; saw " + seen);
        assertFalse(seen.stream().anyMatch(l -> l.contains(other)), "no event of another account: " + seen);
        assertEquals(true, event.contains("\"account\":\"" + watched + "\""), event);

        // The client leaving removes its stream from the registry.
        assertEquals(1, streams.count(watched));
        open.body().close();
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.count(watched) == 0);
    }

    private void grantPack(String account) {
        ObjectNode session = StripeObjects.checkoutSession(StripeEvents.newId("cs"), "cus_" + account, account,
                "payment", "paid");
        session.put("payment_intent", StripeEvents.newId("pi")).put("amount_total", 500);
        session.putObject("metadata").put("account_id", account).put("pack", "small").put("quantity", "1");
        ObjectNode event = StripeEvents.event("checkout.session.completed", session, System.currentTimeMillis() / 1000);
        Webhooks.deliverAndAwaitApplied(db, event);
    }
}
