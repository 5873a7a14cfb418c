package dev.tollgate.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.including;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

/**
 * Stripe answers on the WireMock stub (lists, single objects, errors), removed again after each test
 * ({@link #removeAll()} in an {@code @AfterEach}) so tests do not see each other's.
 */
public final class StripeListStubs {

    private final List<StubMapping> added = new ArrayList<>();

    /** GET of a list resource, whatever its query ({@code /v1/customers?limit=100&...}). */
    public static MappingBuilder listing(String path) {
        return get(urlPathEqualTo(path));
    }

    /** GET /v1/events for the chunk of {@code types[]} that contains {@code typeOfChunk}. */
    public static MappingBuilder events(String typeOfChunk) {
        return listing("/v1/events").withQueryParam("types[]", including(typeOfChunk));
    }

    /** {"object":"list","data":[...],"has_more":...} for {@code request}. */
    public void list(MappingBuilder request, String url, boolean hasMore, JsonNode... objects) {
        ObjectNode body = StripeFixtures.MAPPER.createObjectNode();
        body.put("object", "list");
        body.put("url", url);
        body.put("has_more", hasMore);
        ArrayNode data = body.putArray("data");
        for (JsonNode object : objects) {
            data.add(object);
        }
        answer(request, 200, body.toString());
    }

    /** The list at {@code path}, whatever the query. */
    public void list(String path, boolean hasMore, JsonNode... objects) {
        list(listing(path), path, hasMore, objects);
    }

    /** An empty list, answered after {@code delayMillis}. */
    public void slowList(MappingBuilder request, String url, int delayMillis) {
        added.add(StripeStub.server().stubFor(request.willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withFixedDelay(delayMillis)
                .withBody("{\"object\":\"list\",\"url\":\"" + url + "\",\"has_more\":false,\"data\":[]}"))));
    }

    /** Stripe's error shape with {@code status}. */
    public void error(MappingBuilder request, int status, String type, String message) {
        ObjectNode body = StripeFixtures.MAPPER.createObjectNode();
        body.putObject("error").put("type", type).put("message", message);
        answer(request, status, body.toString());
    }

    /**
     * Stripe's 404 for every object under {@code prefix} (e.g. {@code /v1/subscriptions/}) that no more
     * specific stub answers: other tests' objects are unknown to this Stripe.
     */
    public void missingByDefault(String prefix, String message) {
        error(get(urlPathMatching(Pattern.quote(prefix) + ".*")).atPriority(10), 404, "invalid_request_error", message);
    }

    public StubMapping answer(MappingBuilder request, int status, JsonNode body) {
        return answer(request, status, body.toString(), 0);
    }

    public StubMapping answer(MappingBuilder request, int status, String body) {
        return answer(request, status, body, 0);
    }

    /** {@code body} with {@code status}, after {@code delayMillis}. */
    public StubMapping answer(MappingBuilder request, int status, String body, int delayMillis) {
        StubMapping mapping = StripeStub.server().stubFor(request.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withFixedDelay(delayMillis).withBody(body)));
        added.add(mapping);
        return mapping;
    }

    public void removeAll() {
        added.forEach(StripeStub.server()::removeStub);
        added.clear();
    }

    /** How many GETs the stub has received at {@code path}, whatever their query. */
    public static int requests(String path) {
        return requests(getRequestedFor(urlPathEqualTo(path)));
    }

    public static int requests(RequestPatternBuilder pattern) {
        return StripeStub.server().findAll(pattern).size();
    }
}
