package dev.tollgate.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.JwksServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** ES256 tokens verified against keys fetched from an identity provider's JWKS URL, with audience checks. */
@QuarkusTest
@TestProfile(JwksTokensTest.Jwks.class)
class JwksTokensTest {

    public static class Jwks implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(JwksServer.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.auth.account-claim", "org_id");
        }
    }

    @Test
    void tokenSignedByThePublishedKeyIsAcceptedAndBillsTheOrganisation() {
        String token = claims("tollgate-api").jws().keyId(JwksServer.KEY_ID).algorithm(SignatureAlgorithm.ES256)
                .sign(JwksServer.keys().getPrivate());
        given().auth().oauth2(token).get("/v1/billing/entitlements").then().statusCode(200)
                .body("account", equalTo("org-acme"));
    }

    @Test
    void unknownKeyAndWrongAudienceAreRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String foreignKey = claims("tollgate-api").jws().keyId(JwksServer.KEY_ID)
                .algorithm(SignatureAlgorithm.ES256).sign(generator.generateKeyPair().getPrivate());
        given().auth().oauth2(foreignKey).get("/v1/billing/entitlements").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("signature"));
        String unknownKid = claims("tollgate-api").jws().keyId("kid-nobody-published")
                .algorithm(SignatureAlgorithm.ES256).sign(generator.generateKeyPair().getPrivate());
        given().auth().oauth2(unknownKid).get("/v1/billing/entitlements").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("key id (kid)"))
                .header("WWW-Authenticate", containsString("key id (kid)"));
        String otherAudience = claims("another-api").jws().keyId(JwksServer.KEY_ID)
                .algorithm(SignatureAlgorithm.ES256).sign(JwksServer.keys().getPrivate());
        given().auth().oauth2(otherAudience).get("/v1/billing/entitlements").then().statusCode(401)
                .body("detail", containsString("MP_JWT_VERIFY_AUDIENCES"))
                .header("WWW-Authenticate", containsString("audience"));
    }

    /** The account claim is a JSON string taken as it is: no quotes stripped, no other JSON type printed as text. */
    @Test
    void accountClaimMustBeAJsonStringAndIsReadVerbatim() {
        given().auth().oauth2(sign(claims("tollgate-api").claim("org_id", "\"org-quoted\"")))
                .get("/v1/billing/entitlements").then().statusCode(200).body("account", equalTo("\"org-quoted\""));
        for (Object notAString : List.of(42, 4.5, true, Map.of("id", "org-acme"), List.of("org-acme"))) {
            given().auth().oauth2(sign(claims("tollgate-api").claim("org_id", notAString)))
                    .get("/v1/billing/entitlements").then().statusCode(401).contentType("application/problem+json")
                    .body("detail", containsString("org_id"));
        }
    }

    private static String sign(JwtClaimsBuilder claims) {
        return claims.jws().keyId(JwksServer.KEY_ID).algorithm(SignatureAlgorithm.ES256)
                .sign(JwksServer.keys().getPrivate());
    }

    private static JwtClaimsBuilder claims(String audience) {
        return Jwt.issuer("https://idp.example.com/").audience(audience).subject("user-1").claim("org_id", "org-acme")
                .groups(Set.of(Roles.USER));
    }
}
