package dev.tollgate.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

/** Stripe list answers on the WireMock stub, removed again after each test so tests do not see each other's. */
public final class StripeListStubs {

    private final List<StubMapping> added = new ArrayList<>();

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

    public void answer(MappingBuilder request, int status, String body) {
        added.add(StripeStub.server().stubFor(request.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body))));
    }

    public void removeAll() {
        added.forEach(StripeStub.server()::removeStub);
        added.clear();
    }
}
