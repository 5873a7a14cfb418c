package dev.tollgate.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.ProductionLike;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Forged and out-of-policy tokens against production's token rules (an issuer and an audience configured):
 * each is refused with a problem document, and only a well-formed token of the right issuer and audience works.
 */
@QuarkusTest
@TestProfile(ProductionLike.class)
class ProductionTokensTest {

    private static final String ACCOUNT = "acct-prod-tokens";
    private static final String USER_PATH = "/v1/billing/entitlements";
    private static final String ADMIN_PATH = "/v1/admin/events";

    @Test
    void tokenOfTheConfiguredIssuerAndAudienceIsAccepted() {
        given().auth().oauth2(valid().groups(Set.of(Roles.USER)).sign()).get(USER_PATH).then().statusCode(200)
                .body("account", equalTo(ACCOUNT));
        given().auth().oauth2(valid().subject("ops").groups(Set.of(Roles.ADMIN)).sign()).get(ADMIN_PATH).then()
                .statusCode(200);
    }

    @Test
    void unsignedTokenIsRefused() {
        String header = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String claims = base64("{\"iss\":\"" + ProductionLike.ISSUER + "\",\"aud\":\"" + ProductionLike.AUDIENCE
                + "\",\"sub\":\"" + ACCOUNT + "\",\"groups\":[\"admin\"],\"exp\":"
                + Instant.now().plusSeconds(600).getEpochSecond() + "}");
        refused(header + "." + claims + ".", USER_PATH);
        refused(header + "." + claims + ".", ADMIN_PATH);
    }

    /** The classic key confusion: the RSA public key, which anyone may have, used as an HMAC secret. */
    @Test
    void hs256SignedWithThePublicKeyIsRefused() throws Exception {
        byte[] pem = Files.readAllBytes(Path.of("src/test/resources/jwt/publicKey.pem"));
        String withPemText = valid().groups(Set.of(Roles.ADMIN)).jws().algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(pem, "HmacSHA256"));
        refused(withPemText, ADMIN_PATH);
        String body = new String(pem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----|\\s", "");
        String withDer = valid().groups(Set.of(Roles.ADMIN)).jws().algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(Base64.getDecoder().decode(body), "HmacSHA256"));
        refused(withDer, ADMIN_PATH);
    }

    @Test
    void expiredAndNotYetValidTokensAreRefused() {
        long now = Instant.now().getEpochSecond();
        refused(valid().issuedAt(now - 7200).expiresAt(now - 3600).sign(), USER_PATH);
        refused(valid().issuedAt(now).claim("nbf", now + 3600).expiresAt(now + 7200).sign(), USER_PATH);
    }

    @Test
    void wrongIssuerOrAudienceIsRefused() {
        refused(valid().issuer("https://evil.example").sign(), USER_PATH);
        refused(valid().audience("another-api").sign(), USER_PATH);
        refused(Jwt.issuer(ProductionLike.ISSUER).subject(ACCOUNT).groups(Set.of(Roles.USER)).sign(), USER_PATH);
    }

    /** An admin group means nothing in a token the configured issuer did not mint. */
    @Test
    void adminGroupFromAnotherIssuerIsRefused() {
        refused(valid().issuer("https://other-tenant.example").groups(Set.of(Roles.ADMIN)).sign(), ADMIN_PATH);
    }

    /** Roles says a token without groups is a plain user (smallrye.jwt.claims.groups=user): its own data, no admin. */
    @Test
    void tokenWithoutGroupsIsAPlainUser() {
        String token = valid().sign();
        given().auth().oauth2(token).get(USER_PATH).then().statusCode(200).body("account", equalTo(ACCOUNT));
        given().auth().oauth2(token).get(ADMIN_PATH).then().statusCode(403).contentType("application/problem+json");
    }

    private static JwtClaimsBuilder valid() {
        return Jwt.issuer(ProductionLike.ISSUER).audience(ProductionLike.AUDIENCE).subject(ACCOUNT);
    }

    private static void refused(String token, String path) {
        given().auth().oauth2(token).get(path).then().statusCode(401).contentType("application/problem+json")
                .body("status", equalTo(401));
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
