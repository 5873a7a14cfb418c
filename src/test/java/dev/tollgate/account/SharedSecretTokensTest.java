package dev.tollgate.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;

/**
 * Projects whose identity provider signs with a shared HS256 secret (Supabase and similar) configure
 * the secret instead of a public key; tokens signed with anything else must then be refused.
 */
@QuarkusTest
@TestProfile(SharedSecretTokensTest.SharedSecret.class)
class SharedSecretTokensTest {

    static final String SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";

    public static class SharedSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tollgate.auth.hs256-secret", SECRET,
                    "mp.jwt.verify.issuer", "https://project.supabase.co/auth/v1",
                    "mp.jwt.verify.audiences", "authenticated");
        }
    }

    @Test
    void tokenSignedWithTheSharedSecretIsAccepted() {
        String token = supabaseStyle().signWithSecret(SECRET);
        given().auth().oauth2(token).get("/v1/billing/entitlements").then().statusCode(200)
                .body("account", equalTo("user-7f3a"));
    }

    @Test
    void wrongSecretPublicKeyTokensAndWrongAudienceAreRefused() {
        given().auth().oauth2(supabaseStyle().signWithSecret("another-secret-that-is-also-32-characters-long"))
                .get("/v1/billing/entitlements").then().statusCode(401).contentType("application/problem+json");
        // An RS256 token from the default test key: valid elsewhere, not under a shared-secret config.
        given().auth().oauth2(TestTokens.user("user-7f3a")).get("/v1/billing/entitlements").then().statusCode(401);
        String otherAudience = Jwt.issuer("https://project.supabase.co/auth/v1").audience("anon")
                .subject("user-7f3a").groups(Set.of(Roles.USER)).signWithSecret(SECRET);
        given().auth().oauth2(otherAudience).get("/v1/billing/entitlements").then().statusCode(401);
    }

    private static io.smallrye.jwt.build.JwtClaimsBuilder supabaseStyle() {
        return Jwt.issuer("https://project.supabase.co/auth/v1").audience("authenticated").subject("user-7f3a")
                .claim("role", "authenticated");
    }
}
