package dev.tollgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Each production rule on its own: what is refused, what is only warned about, and that the message names the variable. */
class ProductionSettingsTest {

    /** What the shipped Kubernetes manifests configure: passes every rule. */
    private static Map<String, String> safe() {
        Map<String, String> config = new HashMap<>();
        config.put("mp.jwt.verify.issuer", "https://auth.example.com");
        config.put("mp.jwt.verify.audiences", "tollgate-api");
        config.put("mp.jwt.verify.publickey.location", "https://auth.example.com/.well-known/jwks.json");
        config.put("tollgate.checkout.allowed-origins", "https://app.example.com");
        config.put("quarkus.http.cors.enabled", "true");
        config.put("quarkus.http.cors.origins", "https://app.example.com");
        return config;
    }

    private static ProductionSettings.Verdict check(Map<String, String> config) {
        return ProductionSettings.check(name -> Optional.ofNullable(config.get(name)));
    }

    private static void refusedNaming(Map<String, String> config, String variable) {
        ProductionSettings.Verdict verdict = check(config);
        assertTrue(verdict.refused(), "refused");
        assertEquals(1, verdict.refusals().size(), verdict.refusals().toString());
        assertTrue(verdict.refusals().get(0).startsWith(variable), verdict.refusals().get(0));
    }

    @Test
    void safeSettingsPass() {
        ProductionSettings.Verdict verdict = check(safe());
        assertFalse(verdict.refused(), verdict.refusals().toString());
        assertEquals(List.of(), verdict.warnings());
    }

    @Test
    void missingIssuerOrAudienceIsRefused() {
        Map<String, String> noIssuer = safe();
        noIssuer.remove("mp.jwt.verify.issuer");
        refusedNaming(noIssuer, "MP_JWT_VERIFY_ISSUER");
        Map<String, String> blankAudience = safe();
        blankAudience.put("mp.jwt.verify.audiences", " ");
        refusedNaming(blankAudience, "MP_JWT_VERIFY_AUDIENCES");
    }

    @Test
    void theStripeSimulatorIsRefused() {
        Map<String, String> config = safe();
        config.put("tollgate.simulator.enabled", "true");
        refusedNaming(config, "TOLLGATE_SIMULATOR_ENABLED");
        config.put("tollgate.simulator.enabled", "false");
        assertFalse(check(config).refused());
    }

    @Test
    void optOutTurnsTheRefusalIntoAWarning() {
        Map<String, String> config = safe();
        config.remove("mp.jwt.verify.issuer");
        config.remove("mp.jwt.verify.audiences");
        config.put("tollgate.auth.allow-any-issuer-audience", "true");
        ProductionSettings.Verdict verdict = check(config);
        assertFalse(verdict.refused(), verdict.refusals().toString());
        assertEquals(2, verdict.warnings().size());
        assertTrue(verdict.warnings().get(0).contains("MP_JWT_VERIFY_ISSUER"));
        assertTrue(verdict.warnings().get(1).contains("MP_JWT_VERIFY_AUDIENCES"));
        assertTrue(verdict.warnings().get(0).contains("TOLLGATE_AUTH_ALLOW_ANY_ISSUER_AUDIENCE"));
    }

    @Test
    void aVerificationKeyIsRequiredAndAnHs256SecretMustBeLongEnough() {
        Map<String, String> noKey = safe();
        noKey.put("mp.jwt.verify.publickey.location", "NONE");
        refusedNaming(noKey, "No token verification key");
        assertTrue(check(noKey).refusals().get(0).contains("JWT_HS256_SECRET"));

        Map<String, String> secret = safe();
        secret.remove("mp.jwt.verify.publickey.location");
        secret.put("tollgate.auth.hs256-secret", "x".repeat(32));
        assertFalse(check(secret).refused());
        secret.put("tollgate.auth.hs256-secret", "x".repeat(31));
        refusedNaming(secret, "JWT_HS256_SECRET");
    }

    @Test
    void checkoutOriginsHaveNoDefault() {
        Map<String, String> config = safe();
        config.remove("tollgate.checkout.allowed-origins");
        refusedNaming(config, "TOLLGATE_CHECKOUT_ALLOWED_ORIGINS");
    }

    @Test
    void corsOriginsAreRequiredUnlessExplicitlyNone() {
        Map<String, String> config = safe();
        config.remove("quarkus.http.cors.origins");
        refusedNaming(config, "TOLLGATE_CORS_ORIGINS");

        config.put("quarkus.http.cors.origins", "none");
        config.put("quarkus.http.cors.enabled", "false"); // what CorsOffConfig makes of "none"
        assertFalse(check(config).refused());

        Map<String, String> wildcard = safe();
        wildcard.put("quarkus.http.cors.origins", "https://app.example.com, *");
        refusedNaming(wildcard, "TOLLGATE_CORS_ORIGINS");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ProductionSettings.Verdict verdict = check(Map.of());
        assertEquals(5, verdict.refusals().size(), verdict.refusals().toString());
    }
}
