package dev.tollgate.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

/** A refused token says why, in the problem and in WWW-Authenticate, and never comes back in the answer. */
@QuarkusTest
class AuthFailureMessagesTest {

    private static Response entitlements(String token) {
        return given().auth().oauth2(token).when().get("/v1/billing/entitlements");
    }

    private static void refused(String token, String why) {
        entitlements(token).then().statusCode(401).contentType("application/problem+json")
                .body("detail", allOf(containsString(why), not(containsString(token))))
                .header("WWW-Authenticate", allOf(containsString("Bearer error=\"invalid_token\""),
                        containsString(why), not(containsString(token))));
    }

    @Test
    void anExpiredTokenSaysItExpired() {
        refused(Jwt.subject("acct-auth").groups(Set.of(Roles.USER)).issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).sign(), "expired");
    }

    @Test
    void aTokenNotYetValidSaysSo() {
        refused(Jwt.subject("acct-auth").groups(Set.of(Roles.USER)).claim("nbf", Instant.now().plusSeconds(3600)
                .getEpochSecond()).expiresAt(Instant.now().plusSeconds(7200)).sign(), "not valid yet");
    }

    @Test
    void aTokenSignedWithAnotherKeySaysTheSignatureFails() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        refused(Jwt.subject("acct-auth").groups(Set.of(Roles.USER)).sign(generator.generateKeyPair().getPrivate()),
                "signature");
    }

    @Test
    void aTokenOfAnotherIssuerNamesTheIssuerSetting() {
        refused(Jwt.issuer("https://someone-else.example").subject("acct-auth").groups(Set.of(Roles.USER)).sign(),
                "MP_JWT_VERIFY_ISSUER");
    }

    @Test
    void noTokenSaysHowToSendOne() {
        given().when().get("/v1/billing/entitlements").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", equalTo("Bearer"))
                .body("detail", containsString("Authorization: Bearer"));
    }

    @Test
    void frameworkRefusalsAreExplained() {
        given().auth().oauth2(dev.tollgate.testing.TestTokens.user("acct-auth")).contentType("text/plain").body("x")
                .when().post("/v1/billing/credits/consume").then().statusCode(415)
                .contentType("application/problem+json")
                .body("detail", containsString("Send Content-Type: application/json"));
        given().when().delete("/v1/billing/plans").then().statusCode(405).contentType("application/problem+json")
                .body("detail", containsString("DELETE is not allowed on /v1/billing/plans"));
        given().accept("text/csv").when().get("/v1/billing/plans").then().statusCode(406)
                .contentType("application/problem+json").body("detail", containsString("Accept: application/json"));
    }
}
