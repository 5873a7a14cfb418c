package dev.tollgate.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Dev mode's Stripe simulator instead of the WireMock stub: no STRIPE_SECRET_KEY, the simulator on, the dev catalog's
 * placeholder prices. The frontend's origin is {@value #ORIGIN}: the browser tests reach this instance there through
 * Chromium's proxy setting (the random test port cannot be an allowed redirect origin known before start).
 */
public class SimulatorProfile implements QuarkusTestProfile {

    public static final String ORIGIN = "http://app.example.test";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tollgate.stripe.secret-key", "", "tollgate.simulator.enabled", "true",
                "tollgate.checkout.allowed-origins", ORIGIN,
                "tollgate.checkout.success-url", ORIGIN + "/billing/demo?session_id={CHECKOUT_SESSION_ID}",
                "tollgate.checkout.cancel-url", ORIGIN + "/billing/demo",
                "tollgate.checkout.portal-return-url", ORIGIN + "/billing/demo",
                "tollgate.catalog.placeholder-prices", "price_pro_monthly,price_pack_small,price_team_monthly",
                "tollgate.live.max-streams-per-account", "5");
    }
}
