package dev.tollgate.account;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.build.Jwt;

/**
 * A verified token is remembered (verified once for many requests), but only the exact token, never past its
 * exp, and a refused token is never remembered.
 */
@QuarkusTest
class VerifiedTokensTest {

    @Inject
    VerifiedTokens tokens;

    private static ValidatableResponse entitlements(String token) {
        return given().auth().oauth2(token).when().get("/v1/billing/entitlements").then();
    }

    private static String token(String account, Instant expiresAt) {
        return Jwt.subject(account).groups(Set.of(Roles.USER)).expiresAt(expiresAt).sign();
    }

    @Test
    void aTokenIsVerifiedOnceForManyRequests() {
        String token = token("acct-verified-once", Instant.now().plusSeconds(600));
        long before = tokens.verifications();
        for (int i = 0; i < 5; i++) {
            entitlements(token).statusCode(200);
        }
        assertEquals(1, tokens.verifications() - before);
        assertTrue(tokens.remembers(token));
    }

    @Test
    void aRememberedTokenIsVerifiedAgainOnceItsExpHasPassed() throws InterruptedException {
        Instant exp = Instant.now().plusSeconds(2);
        String token = token("acct-verified-exp", exp);
        entitlements(token).statusCode(200);
        assertTrue(tokens.remembers(token));
        Thread.sleep(Math.max(0, exp.toEpochMilli() - System.currentTimeMillis()) + 200);
        long before = tokens.verifications();
        // smallrye-jwt still accepts it within its clock skew; what matters is that it decided again.
        entitlements(token);
        assertEquals(1, tokens.verifications() - before);
    }

    @Test
    void anAlteredTokenIsNeverTakenForTheRememberedOne() {
        String token = token("acct-verified-a", Instant.now().plusSeconds(600));
        entitlements(token).statusCode(200);
        String[] parts = token.split("\\.");
        // Another account's claims under the remembered token's signature.
        String otherClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(new String(
                Base64.getUrlDecoder().decode(parts[1])).replace("acct-verified-a", "acct-verified-b").getBytes());
        entitlements(parts[0] + "." + otherClaims + "." + parts[2]).statusCode(401);
        // The signature changed in one character.
        char last = parts[2].charAt(parts[2].length() - 2);
        String signature = parts[2].substring(0, parts[2].length() - 2) + (last == 'A' ? 'B' : 'A')
                + parts[2].charAt(parts[2].length() - 1);
        entitlements(parts[0] + "." + parts[1] + "." + signature).statusCode(401);
    }

    @Test
    void refusedTokensAreNotRemembered() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey stranger = generator.generateKeyPair().getPrivate();
        for (int i = 0; i < 20; i++) {
            String forged = Jwt.subject("acct-forged-" + i).groups(Set.of(Roles.USER))
                    .expiresAt(Instant.now().plusSeconds(600)).sign(stranger);
            long before = tokens.verifications();
            entitlements(forged).statusCode(401);
            entitlements(forged).statusCode(401);
            assertEquals(2, tokens.verifications() - before, "verified, and refused, each time");
            assertFalse(tokens.remembers(forged));
        }
    }
}
