package dev.tollgate.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** No STRIPE_SECRET_KEY, and the Pro monthly price a dev-mode placeholder: Stripe-backed endpoints cannot work. */
public class NoStripeKey implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tollgate.stripe.secret-key", "", "tollgate.catalog.placeholder-prices", "price_pro_monthly",
                "tollgate.reconciliation.catch-up.interval", "off");
    }
}
