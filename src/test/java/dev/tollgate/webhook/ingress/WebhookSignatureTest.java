package dev.tollgate.webhook.ingress;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.Management;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class WebhookSignatureTest {

    @Inject
    Db db;

    @TestHTTPResource("/v1/webhooks/stripe")
    URI webhookUrl;

    private ObjectNode customerEvent() {
        return StripeEvents.event("customer.created", StripeObjects.customer(StripeEvents.newId("cus"), "acct-sig"),
                System.currentTimeMillis() / 1000);
    }

    private long stored(ObjectNode event) {
        return db.count("select count(*) from stripe_event where id = $1", event.path("id").asText());
    }

    @Test
    void validSignatureIsAcknowledgedAndStored() {
        ObjectNode event = customerEvent();
        Webhooks.deliver(event).then().statusCode(200).body("received", equalTo(true)).body("duplicate",
                equalTo(false));
        assertEquals(1, stored(event));
    }

    @Test
    void secondRotatedSecretIsAccepted() {
        ObjectNode event = customerEvent();
        String payload = event.toString();
        Webhooks.deliverRaw(payload, StripeEvents.sign(payload, Webhooks.ROTATED_SECRET)).then().statusCode(200);
        assertEquals(1, stored(event));
    }

    @Test
    void wrongSecretIsRejected() {
        ObjectNode event = customerEvent();
        String payload = event.toString();
        Webhooks.deliverRaw(payload, StripeEvents.sign(payload, "whsec_someone_else")).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", containsString("webhook-signature-mismatch"));
        assertEquals(0, stored(event));
    }

    @Test
    void staleTimestampIsRejected() {
        ObjectNode event = customerEvent();
        String payload = event.toString();
        long tenMinutesAgo = System.currentTimeMillis() / 1000 - 600;
        Webhooks.deliverRaw(payload, StripeEvents.sign(payload, Webhooks.SECRET, tenMinutesAgo)).then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", containsString("webhook-stale-timestamp"));
        assertEquals(0, stored(event));
    }

    @Test
    void futureTimestampIsRejected() {
        ObjectNode event = customerEvent();
        String payload = event.toString();
        long inTenMinutes = System.currentTimeMillis() / 1000 + 600;
        Webhooks.deliverRaw(payload, StripeEvents.sign(payload, Webhooks.SECRET, inTenMinutes)).then()
                .statusCode(400).body("type", containsString("webhook-future-timestamp"));
        assertEquals(0, stored(event));
    }

    @Test
    void missingHeaderIsRejected() {
        ObjectNode event = customerEvent();
        Webhooks.deliverRaw(event.toString(), null).then().statusCode(400).contentType("application/problem+json")
                .body("type", containsString("webhook-missing-header"));
        assertEquals(0, stored(event));
    }

    @Test
    void garbledHeaderIsRejected() {
        ObjectNode event = customerEvent();
        Webhooks.deliverRaw(event.toString(), "t=abc,v1=zz").then().statusCode(400)
                .body("type", containsString("webhook-malformed-header"));
        Webhooks.deliverRaw(event.toString(), "nonsense").then().statusCode(400)
                .body("type", containsString("webhook-malformed-header"));
        assertEquals(0, stored(event));
    }

    @Test
    void tamperedBodyIsRejected() {
        ObjectNode event = customerEvent();
        String payload = event.toString();
        String signature = StripeEvents.sign(payload, Webhooks.SECRET);
        String tampered = payload.replace("acct-sig", "acct-evil");
        Webhooks.deliverRaw(tampered, signature).then().statusCode(400)
                .body("type", containsString("webhook-signature-mismatch"));
        assertEquals(0, stored(event));
    }

    @Test
    void oversizedBodyIsRefusedWith413() {
        ObjectNode event = customerEvent();
        event.putObject("data").putObject("object").put("padding", "x".repeat(600 * 1024));
        String payload = event.toString();
        Webhooks.deliverRaw(payload, StripeEvents.sign(payload, Webhooks.SECRET)).then().statusCode(413)
                .contentType("application/problem+json");
        assertEquals(0, stored(event));
    }

    @Test
    void oversizedChunkedBodyWithoutLengthIsRefusedWhileStreaming() throws Exception {
        ObjectNode event = customerEvent();
        event.putObject("data").putObject("object").put("padding", "x".repeat(600 * 1024));
        byte[] payload = event.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String signature = StripeEvents.sign(event.toString(), Webhooks.SECRET);
        // An InputStream body has no Content-Length: it is sent chunked, so only the streamed count can stop it.
        HttpRequest request = HttpRequest.newBuilder(webhookUrl).header("Stripe-Signature", signature)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(payload)))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(413, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(0, stored(event));
    }

    @Test
    void webhookIsDescribedInTheOpenApiDocument() {
        Management.given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/v1/webhooks/stripe"));
    }

    @Test
    void malformedJsonWithValidSignatureIsRejected() {
        String payload = "{\"id\": \"evt_broken\", \"type\": ";
        Webhooks.deliverRaw(payload, StripeEvents.sign(payload, Webhooks.SECRET)).then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("webhook-malformed-event"));
        assertEquals(0, db.count("select count(*) from stripe_event where id = 'evt_broken'"));
    }

    @Test
    void jsonThatIsNotAnEventIsRejected() {
        String payload = "{\"id\": \"evt_not_event\", \"object\": \"customer\", \"type\": \"x\", \"created\": 1}";
        Webhooks.deliverRaw(payload, StripeEvents.sign(payload, Webhooks.SECRET)).then().statusCode(400)
                .body("detail", containsString("not \"event\""));
        assertEquals(0, db.count("select count(*) from stripe_event where id = 'evt_not_event'"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "an overlong '/', c0af", "a surrogate half, eda080", "a lone continuation byte, 80" })
    void bodyThatIsNotUtf8IsRejectedWhileItsBatchNeighboursAreStored(String what, String hex) {
        // Broken UTF-8 hidden in a string deep inside the object, delivered in the same moment as valid
        // events so that they share one insert batch: the bad one gets a 400 (a 5xx would have Stripe retry
        // it for days), the others are stored.
        ObjectNode broken = customerEvent();
        ((ObjectNode) broken.path("data").path("object").path("metadata")).put("note", "@@");
        String[] halves = broken.toString().split("@@");
        byte[] body = concat(halves[0].getBytes(StandardCharsets.UTF_8), HexFormat.of().parseHex(hex),
                halves[1].getBytes(StandardCharsets.UTF_8));
        List<ObjectNode> valid = IntStream.range(0, 6).mapToObj(i -> customerEvent()).toList();

        List<CompletableFuture<Response>> posts = new ArrayList<>();
        posts.add(CompletableFuture.supplyAsync(() -> Webhooks.deliverBytes(body)));
        valid.forEach(event -> posts.add(CompletableFuture.supplyAsync(() -> Webhooks.deliver(event))));

        Response refused = posts.get(0).join();
        assertEquals(400, refused.statusCode(), what);
        assertEquals("application/problem+json", refused.contentType());
        assertThat(refused.jsonPath().getString("type"), containsString("webhook-malformed-event"));
        assertThat(refused.jsonPath().getString("detail"), containsString("is not valid"));
        assertEquals(0, stored(broken));
        for (int i = 0; i < valid.size(); i++) {
            assertEquals(200, posts.get(i + 1).join().statusCode());
            assertEquals(1, stored(valid.get(i)));
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
