package dev.tollgate.tools.bench;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A Stripe stub for meter events (the v2 stream with its sessions, and v1's POST /v1/billing/meter_events)
 * that fails a share of requests with a 500 and counts, per meter event identifier, how many times a request
 * carrying it was answered 200: exactly-once delivery means every record's identifier was accepted exactly once.
 */
final class FaultyMeterEvents implements ResponseDefinitionTransformerV2 {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final double failureRate;
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    FaultyMeterEvents(double failureRate) {
        this.failureRate = failureRate;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        String url = event.getRequest().getUrl();
        if (url.startsWith("/v2/billing/meter_event_session")) {
            Instant now = Instant.now();
            return json(200, "{\"id\":\"bmes_bench\",\"object\":\"v2.billing.meter_event_session\","
                    + "\"authentication_token\":\"mes_token_bench\",\"created\":\"" + now + "\",\"expires_at\":\""
                    + now.plusSeconds(900) + "\",\"livemode\":false}");
        }
        boolean stream = url.startsWith("/v2/billing/meter_event_stream");
        if (!stream && !url.startsWith("/v1/billing/meter_events")) {
            return event.getResponseDefinition();
        }
        if (ThreadLocalRandom.current().nextDouble() < failureRate) {
            failed.incrementAndGet();
            return json(500, "{\"error\":{\"type\":\"api_error\",\"message\":\"injected fault\"}}");
        }
        if (stream) {
            // The whole request is accepted: every event in it counts once more for its identifier.
            requests.incrementAndGet();
            for (JsonNode e : read(event.getRequest().getBodyAsString()).path("events")) {
                accepted.computeIfAbsent(e.path("identifier").asText(), k -> new AtomicInteger()).incrementAndGet();
            }
            return json(200, "{}");
        }
        requests.incrementAndGet();
        String identifier = param(event.getRequest().getBodyAsString(), "identifier");
        accepted.computeIfAbsent(identifier, k -> new AtomicInteger()).incrementAndGet();
        return json(200, "{\"object\":\"billing.meter_event\",\"identifier\":\"" + identifier + "\"}");
    }

    private static ResponseDefinition json(int status, String body) {
        return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body).build();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Requests answered 200 (a stream request carries up to 100 events). */
    long acceptedRequests() {
        return requests.get();
    }

    @Override
    public String getName() {
        return "faulty-meter-events";
    }

    Map<String, AtomicInteger> accepted() {
        return accepted;
    }

    long failed() {
        return failed.get();
    }

    void reset() {
        accepted.clear();
        failed.set(0);
        requests.set(0);
    }

    private static String param(String form, String name) {
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2 && name.equals(URLDecoder.decode(kv[0], StandardCharsets.UTF_8))) {
                return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
