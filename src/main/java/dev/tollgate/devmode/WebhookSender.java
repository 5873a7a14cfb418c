package dev.tollgate.devmode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Delivers events the way Stripe does: one POST per event, signed with {@code Stripe-Signature}
 * ({@code t=<seconds>,v1=<HMAC-SHA256 of "t.body">}), one after the other, each acknowledged before the next.
 * Blocking (the JDK client): call it from a worker thread or a command-line tool.
 */
public final class WebhookSender {

    /** One delivery and the endpoint's answer. */
    public record Delivery(String id, String type, String objectId, int status, String answer) {
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String secret;

    /** @param endpoint the webhook URL, e.g. http://localhost:8080/v1/webhooks/stripe */
    public WebhookSender(URI endpoint, String secret) {
        this.endpoint = endpoint;
        this.secret = secret;
    }

    public List<Delivery> send(List<ObjectNode> events) throws IOException, InterruptedException {
        List<Delivery> deliveries = new ArrayList<>();
        for (ObjectNode event : events) {
            String payload = event.toString();
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks; Tollgate dev scenario)")
                    .header("Stripe-Signature", sign(payload, secret, System.currentTimeMillis() / 1000))
                    .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            deliveries.add(new Delivery(event.path("id").asText(), event.path("type").asText(),
                    event.path("data").path("object").path("id").asText(null), response.statusCode(),
                    response.body()));
        }
        return deliveries;
    }

    /** Stripe's signature header over {@code payload} at {@code timestamp}. */
    public static String sign(String payload, String secret, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
