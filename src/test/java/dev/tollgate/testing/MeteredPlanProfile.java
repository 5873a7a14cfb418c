package dev.tollgate.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A metered plan ("scale": a monthly price, the api-calls meter billed per call, overage of the generation
 * feature on that meter) next to the usual catalog, and a usage sender that retries within a test's patience.
 * Its own profile so the default catalog (and the tests that count its sync report) stays as it is.
 */
public class MeteredPlanProfile implements QuarkusTestProfile {

    public static final String PRICE = "price_scale_monthly";
    public static final String METERED_PRICE = "price_api_calls_monthly";
    public static final String EVENT_NAME = "api_calls";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("tollgate.catalog.plans.scale.name", "Scale"),
                Map.entry("tollgate.catalog.plans.scale.monthly-price", PRICE),
                Map.entry("tollgate.catalog.plans.scale.monthly-amount", "1000"),
                Map.entry("tollgate.catalog.plans.scale.features.api-access", "true"),
                Map.entry("tollgate.catalog.plans.scale.meters.api-calls.event-name", EVENT_NAME),
                Map.entry("tollgate.catalog.plans.scale.meters.api-calls.display-name", "API calls"),
                Map.entry("tollgate.catalog.plans.scale.meters.api-calls.price", METERED_PRICE),
                Map.entry("tollgate.catalog.plans.scale.meters.api-calls.unit-amount", "0.5"),
                Map.entry("tollgate.catalog.plans.scale.overage.generation", "api-calls"),
                Map.entry("tollgate.usage.sender.initial-backoff", "200ms"),
                Map.entry("tollgate.usage.sender.max-backoff", "500ms"));
    }
}
