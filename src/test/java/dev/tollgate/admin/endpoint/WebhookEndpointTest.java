package dev.tollgate.admin.endpoint;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeListStubs;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.webhook.WebhookMetrics;
import dev.tollgate.webhook.processing.HandledEventTypes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The Stripe webhook endpoint is created (secret shown once) or updated (secret kept) for a URL. */
@QuarkusTest
class WebhookEndpointTest {

    private static final String LIST = "/v1/webhook_endpoints?limit=100";
    private final StripeListStubs stubs = new StripeListStubs();

    @AfterEach
    void removeStubs() {
        stubs.removeAll();
    }

    @Test
    void aNewEndpointIsCreatedWithEveryHandledTypeAndItsSecretIsShownOnce() {
        String url = "https://billing.example.com/v1/webhooks/stripe";
        stubs.answer(get(urlEqualTo(LIST)), 200, StripeObjects.list("/v1/webhook_endpoints", false,
                StripeObjects.webhookEndpoint("we_other", "https://other.example.com/hook", List.of("charge.failed"),
                        StripeEvents.API_VERSION)));
        ObjectNode created = StripeObjects.webhookEndpoint("we_new", url, HandledEventTypes.ALL,
                StripeEvents.API_VERSION).put("secret", "whsec_created_once");
        stubs.answer(post(urlEqualTo("/v1/webhook_endpoints")), 200, created);

        setUp(url).then().statusCode(201).header("Cache-Control", "no-store")
                .body("action", equalTo("created")).body("id", equalTo("we_new"))
                .body("secret", equalTo("whsec_created_once"))
                .body("api_version", equalTo(StripeEvents.API_VERSION))
                .body("enabled_events.size()", equalTo(HandledEventTypes.ALL.size()))
                .body("note", containsString("only this once"));

        List<LoggedRequest> creates = StripeStub.server()
                .findAll(postRequestedFor(urlEqualTo("/v1/webhook_endpoints")));
        assertEquals(1, creates.size());
        String form = creates.get(0).getBodyAsString();
        assertEquals(HandledEventTypes.ALL.size(), form.split("enabled_events%5B").length - 1);
        assertEquals(true, form.contains("api_version=" + StripeEvents.API_VERSION));
        assertEquals(true, form.contains("url=https%3A%2F%2Fbilling.example.com%2Fv1%2Fwebhooks%2Fstripe"));
        assertEquals(true, creates.get(0).getHeader("Idempotency-Key").startsWith("tollgate-webhook-endpoint-"));
    }

    @Test
    void anExistingEndpointOnALaterPageIsUpdatedAndKeepsItsSecret() {
        String url = "http://localhost:8080/v1/webhooks/stripe";
        stubs.answer(get(urlEqualTo(LIST)), 200, StripeObjects.list("/v1/webhook_endpoints", true,
                StripeObjects.webhookEndpoint("we_first", "https://other.example.com/hook", List.of("charge.failed"),
                        StripeEvents.API_VERSION)));
        stubs.answer(get(urlEqualTo(LIST + "&starting_after=we_first")), 200, StripeObjects.list("/v1/webhook_endpoints",
                false, StripeObjects.webhookEndpoint("we_mine", url, List.of("invoice.paid"), "2025-03-31.basil")));
        stubs.answer(post(urlEqualTo("/v1/webhook_endpoints/we_mine")), 200,
                StripeObjects.webhookEndpoint("we_mine", url, HandledEventTypes.ALL, "2025-03-31.basil"));
        int creates = StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/webhook_endpoints"))).size();

        setUp(url).then().statusCode(200).body("action", equalTo("updated")).body("id", equalTo("we_mine"))
                .body("$", not(hasKey("secret")))
                .body("note", containsString("stays valid"))
                .body("note", containsString("2025-03-31.basil"))
                .body("enabled_events.size()", equalTo(HandledEventTypes.ALL.size()));

        StripeStub.server().verify(1, postRequestedFor(urlEqualTo("/v1/webhook_endpoints/we_mine"))
                .withRequestBody(containing("enabled_events%5B0%5D=checkout.session.completed"))
                .withRequestBody(WireMock.notContaining("api_version")));
        assertEquals(creates, StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/webhook_endpoints"))).size(),
                "an update must not create another endpoint");
    }

    @Test
    void aSecondSetUpAfterTheEndpointWasChangedIsAppliedNotReplayed() {
        String url = "https://again.example.com/v1/webhooks/stripe";
        String path = "/v1/webhook_endpoints/we_again";
        StubMapping listed = stubs.answer(get(urlEqualTo(LIST)), 200, StripeObjects.list("/v1/webhook_endpoints", false,
                StripeObjects.webhookEndpoint("we_again", url, List.of("invoice.paid"), StripeEvents.API_VERSION)));
        stubs.answer(post(urlEqualTo(path)), 200,
                StripeObjects.webhookEndpoint("we_again", url, HandledEventTypes.ALL, StripeEvents.API_VERSION));
        setUp(url).then().statusCode(200).body("enabled_events.size()", equalTo(HandledEventTypes.ALL.size()));
        String firstKey = StripeStub.server().findAll(postRequestedFor(urlEqualTo(path))).get(0)
                .getHeader("Idempotency-Key");
        // Stripe keeps an idempotency key's answer for 24 hours: a request under the same key gets the first
        // answer again and changes nothing.
        stubs.answer(post(urlEqualTo(path)).withHeader("Idempotency-Key", WireMock.equalTo(firstKey)).atPriority(1), 200,
                StripeObjects.webhookEndpoint("we_again", url, List.of("invoice.paid"), StripeEvents.API_VERSION));

        // Someone removes the event types in the Dashboard; the operator runs the setup again.
        StripeStub.server().removeStubMapping(listed);
        stubs.answer(get(urlEqualTo(LIST)), 200, StripeObjects.list("/v1/webhook_endpoints", false,
                StripeObjects.webhookEndpoint("we_again", url, List.of("charge.failed"), StripeEvents.API_VERSION)));
        setUp(url).then().statusCode(200).body("action", equalTo("updated"))
                .body("enabled_events.size()", equalTo(HandledEventTypes.ALL.size()));

        List<LoggedRequest> updates = StripeStub.server().findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(2, updates.size());
        assertEquals(false, firstKey.equals(updates.get(1).getHeader("Idempotency-Key")),
                "the second request must not reuse the first one's key");
        assertEquals(HandledEventTypes.ALL.size(), updates.get(1).getBodyAsString().split("enabled_events%5B").length
                - 1);
    }

    @Test
    void urlsThatAreNotHttpsOrLocalAreRejectedBeforeStripeIsAsked() {
        int calls = StripeStub.server().findAll(WireMock.anyRequestedFor(urlPathEqualTo("/v1/webhook_endpoints")))
                .size();
        for (String url : List.of("http://billing.example.com/hook", "ftp://example.com/hook", "not a url",
                "https://user:pw@example.com/hook", "/v1/webhooks/stripe", "")) {
            setUp(url).then().statusCode(400).contentType("application/problem+json")
                    .body("type", containsString("invalid-url"));
        }
        given().auth().oauth2(TestTokens.admin()).contentType("application/json").body(Map.of())
                .post("/v1/admin/webhook-endpoint").then().statusCode(400);
        assertEquals(calls, StripeStub.server()
                .findAll(WireMock.anyRequestedFor(urlPathEqualTo("/v1/webhook_endpoints"))).size());
    }

    @Test
    void theEndpointIsCreatedInTheApiVersionTheMismatchMetricExpects() {
        assertEquals(StripeEvents.API_VERSION, WebhookEndpointSetup.API_VERSION);
        assertEquals(true, WebhookEndpointSetup.API_VERSION.endsWith("." + WebhookMetrics.EXPECTED_API_MAJOR));
    }

    private static Response setUp(String url) {
        return given().auth().oauth2(TestTokens.admin()).contentType("application/json").body(Map.of("url", url))
                .post("/v1/admin/webhook-endpoint");
    }
}
