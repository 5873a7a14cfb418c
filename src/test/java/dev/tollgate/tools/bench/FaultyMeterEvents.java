package dev.tollgate.tools.bench;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A Stripe stub for POST /v1/billing/meter_events that fails a share of requests with a 500 and counts,
 * per meter event identifier, how many times it answered 200: exactly-once delivery means every record's
 * identifier was accepted exactly once.
 */
final class FaultyMeterEvents implements ResponseDefinitionTransformerV2 {

    private final double failureRate;
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final AtomicLong failed = new AtomicLong();

    FaultyMeterEvents(double failureRate) {
        this.failureRate = failureRate;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        if (!event.getRequest().getUrl().startsWith("/v1/billing/meter_events")) {
            return event.getResponseDefinition();
        }
        if (ThreadLocalRandom.current().nextDouble() < failureRate) {
            failed.incrementAndGet();
            return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition().withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"type\":\"api_error\",\"message\":\"injected fault\"}}").build();
        }
        String identifier = param(event.getRequest().getBodyAsString(), "identifier");
        accepted.computeIfAbsent(identifier, k -> new AtomicInteger()).incrementAndGet();
        return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"object\":\"billing.meter_event\",\"identifier\":\"" + identifier + "\"}").build();
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
