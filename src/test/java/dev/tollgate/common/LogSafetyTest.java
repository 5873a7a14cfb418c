package dev.tollgate.common;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.EffectProbe;
import dev.tollgate.testing.Inbox;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Captures every log line (debug included) while webhooks carrying a card number and a token are
 * accepted, rejected and fail, and while a billing call fails at Stripe: none of the secrets appear,
 * and the lines carry the event, account and request ids in the MDC.
 */
@QuarkusTest
class LogSafetyTest {

    private static final String CARD_NUMBER = "4000056655665556";
    private static final String CARD_TOKEN = "tok_1LogSafetyCardToken";

    @Inject
    Db db;

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    // The message with its parameters filled in, as the console and JSON handlers print it.
    private static final PatternFormatter MESSAGE = new PatternFormatter("%s");

    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ExtLogRecord ext = ExtLogRecord.wrap(record);
            StringWriter thrown = new StringWriter();
            if (record.getThrown() != null) {
                record.getThrown().printStackTrace(new PrintWriter(thrown));
            }
            lines.add(new Line(record.getLoggerName(), MESSAGE.format(ext) + thrown, ext.getMdcCopy()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previous;

    record Line(String logger, String text, Map<String, String> mdc) {
    }

    @BeforeEach
    void captureLogs() {
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        Logger tollgate = Logger.getLogger("dev.tollgate");
        previous = tollgate.getLevel();
        tollgate.setLevel(Level.FINEST);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
        Logger.getLogger("dev.tollgate").setLevel(previous);
        EffectProbe.fix();
    }

    @Test
    void webhookBodiesCardDataAndTokensNeverReachTheLogs() {
        String customerId = StripeEvents.newId("cus");
        ObjectNode customer = StripeObjects.customer(customerId, "acct-logs");
        ((ObjectNode) customer.path("metadata")).put("card", CARD_NUMBER).put("token", CARD_TOKEN)
                .put(EffectProbe.FAIL_MARK, "until_fixed");
        ObjectNode event = StripeEvents.event("customer.created", customer, System.currentTimeMillis() / 1000);
        String eventId = event.path("id").asText();
        String payload = event.toString();

        EffectProbe.breakIt();
        Webhooks.deliverRaw(payload, StripeEvents.sign(payload, "whsec_not_ours")).then().statusCode(400);
        String notAnEvent = "card=" + CARD_NUMBER + "&token=" + CARD_TOKEN;
        Webhooks.deliverRaw(notAnEvent, StripeEvents.sign(notAnEvent, Webhooks.SECRET)).then().statusCode(400);
        Webhooks.deliver(event).then().statusCode(200);
        assertEquals("failed", Inbox.awaitProcessed(db, eventId));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream()
                .anyMatch(l -> l.text().contains("parked as failed") && l.text().contains(eventId)));
        Line parked = lines.stream().filter(l -> l.text().contains("parked as failed")).filter(
                l -> l.text().contains(eventId)).findFirst().orElseThrow();
        assertEquals(eventId, parked.mdc().get(LogContext.EVENT_ID));
        assertEquals("customer.created", parked.mdc().get(LogContext.EVENT_TYPE));
        assertTrue(lines.stream().anyMatch(l -> l.text().contains("Rejected a webhook delivery")),
                "debug lines were captured too");
        assertNothingSecret(payload);

        // Leave the inbox clean for the other tests.
        EffectProbe.fix();
        given().auth().oauth2(TestTokens.admin()).post("/v1/admin/events/" + eventId + "/replay").then()
                .statusCode(200);
        assertEquals("applied", Inbox.awaitProcessed(db, eventId));
    }

    /** tollgate.webhook.log-events: INFO in dev mode, DEBUG here; either way ids and outcomes, never the body. */
    @Test
    void eachWebhookAndEachAppliedEventIsOneLineWithoutTheBody() {
        String customerId = StripeEvents.newId("cus");
        ObjectNode customer = StripeObjects.customer(customerId, "acct-loglines");
        ((ObjectNode) customer.path("metadata")).put("card", CARD_NUMBER);
        ObjectNode event = StripeEvents.event("customer.created", customer, System.currentTimeMillis() / 1000);
        String eventId = event.path("id").asText();
        Webhooks.deliver(event).then().statusCode(200);
        assertEquals("applied", Inbox.awaitProcessed(db, eventId));

        String received = "Webhook received customer.created " + eventId + " (object " + customerId + "): stored";
        String applied = "Event customer.created " + eventId + " (object " + customerId + "): applied";
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> lines.stream().anyMatch(l -> l.text().equals(applied)));
        assertEquals(1, lines.stream().filter(l -> l.text().equals(received)).count(), "one line on receipt");
        assertEquals(1, lines.stream().filter(l -> l.text().equals(applied)).count(), "one line when applied");
        assertNothingSecret(event.toString());
    }

    @Test
    void aFailedStripeCallIsLoggedWithTheRequestAndAccountButNoCredentials() {
        String account = StripeEvents.newId("acct");
        StripeStub.server().stubFor(post(urlEqualTo("/v1/customers"))
                .withRequestBody(containing("account_id%5D=" + account))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}")));
        String token = TestTokens.user(account);

        given().auth().oauth2(token).header("X-Request-Id", "req-log-safety-1").contentType("application/json")
                .body("{}").post("/v1/billing/portal-sessions").then().statusCode(502)
                .header("X-Request-Id", "req-log-safety-1");

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream()
                .anyMatch(l -> "req-log-safety-1".equals(l.mdc().get(LogContext.REQUEST_ID))
                        && l.text().contains("Stripe call")));
        Line failed = lines.stream().filter(l -> l.text().contains("Stripe call"))
                .filter(l -> "req-log-safety-1".equals(l.mdc().get(LogContext.REQUEST_ID))).findFirst()
                .orElseThrow();
        assertEquals(account, failed.mdc().get(LogContext.ACCOUNT_ID));
        assertNothingSecret(token);
        assertNothingSecret("sk_test_tollgate_stub");
    }

    @Test
    void aRequestIdThatCouldForgeLogLinesIsReplaced() {
        String echoed = given().header("X-Request-Id", "forged id with spaces").get("/v1/billing/plans").then()
                .statusCode(200).extract().header("X-Request-Id");
        assertNotEquals("forged id with spaces", echoed);
        assertTrue(echoed.matches("[0-9a-f]{32}"), echoed);
        String generated = given().get("/v1/billing/plans").then().statusCode(200).extract().header("X-Request-Id");
        assertNotEquals(echoed, generated, "a new id per request");
    }

    private void assertNothingSecret(String secret) {
        for (Line line : lines) {
            String all = line.text() + " " + line.mdc();
            assertFalse(all.contains(CARD_NUMBER), "card number in: " + line);
            assertFalse(all.contains(CARD_TOKEN), "card token in: " + line);
            assertFalse(all.contains(secret), "secret or body in: " + line);
            assertFalse(all.contains(Webhooks.SECRET), "webhook secret in: " + line);
        }
    }
}
