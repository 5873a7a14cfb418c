package dev.tollgate.config;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Management;
import dev.tollgate.testing.NoStripeKey;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Readiness names what leaves endpoints unusable (here: no Stripe key) and stays UP. */
@QuarkusTest
@TestProfile(NoStripeKey.class)
class SetupGapsTest {

    @Test
    void readinessListsTheMissingStripeKeyAndStaysUp() {
        Management.given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'setup' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'setup' }.data.unusable_without_settings",
                        equalTo("STRIPE_SECRET_KEY"))
                .body("checks.find { it.name == 'setup' }.data.STRIPE_SECRET_KEY", containsString("answer 503"));
    }

    @Test
    void eachGapIsFoundFromTheConfiguration() {
        Map<String, String> none = Map.of();
        assertEquals(List.of("STRIPE_WEBHOOK_SECRET", "STRIPE_SECRET_KEY", "MP_JWT_VERIFY_PUBLICKEY_LOCATION"),
                List.copyOf(SetupGaps.find(new SmallRyeConfigBuilder()
                        .withSources(new PropertiesConfigSource(none, "empty", 500)).build()).keySet()));
        Map<String, String> complete = Map.of("tollgate.webhook.secrets", "whsec_1", "tollgate.stripe.secret-key",
                "sk_test_1", "mp.jwt.verify.publickey.location", "https://idp.example.com/jwks");
        assertEquals(Map.of(), SetupGaps.find(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(complete, "complete", 500)).build()));
    }
}
