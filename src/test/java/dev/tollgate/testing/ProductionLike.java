package dev.tollgate.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile with production's rules: tokens must carry the issuer and the audience below, and the
 * start-up check (dev.tollgate.config) runs as it does in the production jar, so booting at all is the
 * happy path of that check. Test classes that share it share one application start.
 */
public class ProductionLike implements QuarkusTestProfile {

    public static final String ISSUER = "https://tollgate.test";
    public static final String AUDIENCE = "tollgate-api";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tollgate.config.enforce-production-rules", "true",
                "mp.jwt.verify.issuer", ISSUER,
                "mp.jwt.verify.audiences", AUDIENCE);
    }
}
