package dev.tollgate.webhook.ingress;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.webhook.RejectReason;

/** The Stripe-Signature check on its own: a fixed clock, real event bodies, no Quarkus. */
class SignatureVerifierTest {

    private static final long NOW = 1_790_000_000L;
    private static final long TOLERANCE = 300;
    private static final String PRIMARY = "whsec_5f2Vn3kQ8rLm0XyZpA7bC1dE9gH4jK6t";
    private static final String ROTATED = "whsec_Q9wE3rT7yU1iO5pA2sD8fG4hJ6kL0zXc";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    private final SignatureVerifier verifier = new SignatureVerifier(List.of(PRIMARY), TOLERANCE, CLOCK);
    private final byte[] body = StripeEvents.event("customer.subscription.updated",
            StripeObjects.subscription("sub_1Pq8Zx2eZvKYlo2C", "cus_QhJ8m4a1", "active", NOW - 86_400,
                    NOW + 29 * 86_400),
            NOW - 2)
            .toString().getBytes(StandardCharsets.UTF_8);

    @Test
    void stripesOwnSignatureOfTheBodyIsAccepted() {
        String header = StripeEvents.sign(new String(body, StandardCharsets.UTF_8), PRIMARY, NOW);
        assertDoesNotThrow(() -> verifier.verify(body, header));
        assertTrue(verifier.configured());
    }

    @Test
    void aSignatureUnderAnotherSecretIsAMismatch() {
        assertEquals(RejectReason.SIGNATURE_MISMATCH, rejection(verifier, header(NOW, hmac(ROTATED, NOW, body))));
    }

    @Test
    void aChangedBodyIsAMismatch() {
        String header = header(NOW, hmac(PRIMARY, NOW, body));
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"active\"", "\"canceled\"")
                .getBytes(StandardCharsets.UTF_8);
        assertFalse(java.util.Arrays.equals(body, tampered), "the body really changed");
        assertEquals(RejectReason.SIGNATURE_MISMATCH, rejection(verifier, tampered, header));
    }

    @Test
    void theTimestampIsPartOfWhatIsSigned() {
        // Signed at NOW, presented as signed a second later: same body, same secret, still no match.
        assertEquals(RejectReason.SIGNATURE_MISMATCH, rejection(verifier, header(NOW + 1, hmac(PRIMARY, NOW, body))));
    }

    @Test
    void duringARotationEitherSecretIsAccepted() {
        SignatureVerifier rotating = new SignatureVerifier(List.of(PRIMARY, " " + ROTATED + " ", ""), TOLERANCE,
                CLOCK);
        assertDoesNotThrow(() -> rotating.verify(body, header(NOW, hmac(PRIMARY, NOW, body))));
        assertDoesNotThrow(() -> rotating.verify(body, header(NOW, hmac(ROTATED, NOW, body))));
        assertEquals(RejectReason.SIGNATURE_MISMATCH,
                rejection(rotating, header(NOW, hmac("whsec_someone_else_entirely", NOW, body))));
    }

    @Test
    void anyOfSeveralV1EntriesMayMatch() {
        // What Stripe sends while the endpoint's own secret is being rolled: one v1 per secret.
        String header = "t=" + NOW + ",v1=" + hmac(ROTATED, NOW, body) + ",v0=" + "ab".repeat(32) + ",v1="
                + hmac(PRIMARY, NOW, body);
        assertDoesNotThrow(() -> verifier.verify(body, header));
        String noneOurs = "t=" + NOW + ",v1=" + hmac(ROTATED, NOW, body) + ",v1=" + hmac("whsec_x", NOW, body);
        assertEquals(RejectReason.SIGNATURE_MISMATCH, rejection(verifier, noneOurs));
    }

    @Test
    void theToleranceWindowHoldsBothWaysAndIncludesItsEdges() {
        assertDoesNotThrow(() -> verifier.verify(body, header(NOW - TOLERANCE, hmac(PRIMARY, NOW - TOLERANCE, body))));
        assertDoesNotThrow(() -> verifier.verify(body, header(NOW + TOLERANCE, hmac(PRIMARY, NOW + TOLERANCE, body))));
        long stale = NOW - TOLERANCE - 1;
        long future = NOW + TOLERANCE + 1;
        assertEquals(RejectReason.STALE_TIMESTAMP, rejection(verifier, header(stale, hmac(PRIMARY, stale, body))));
        assertEquals(RejectReason.FUTURE_TIMESTAMP, rejection(verifier, header(future, hmac(PRIMARY, future, body))));
    }

    @Test
    void aMissingHeaderIsNamedAsSuch() {
        assertEquals(RejectReason.MISSING_HEADER, rejection(verifier, null));
        assertEquals(RejectReason.MISSING_HEADER, rejection(verifier, "  "));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "nonsense",
            "v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd", // no t=
            "t=1790000000", // no v1=
            "t=1790000000,v0=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd", // only v0
            "t=abc,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
            "t=-5,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
            "t=1790000000,v1=5257a869",
            "t=1790000000,v1=zz57a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd" })
    void aMalformedHeaderIsNamedAsSuch(String header) {
        assertEquals(RejectReason.MALFORMED_HEADER, rejection(verifier, header));
    }

    @Test
    void withoutSecretsNothingVerifies() {
        SignatureVerifier none = new SignatureVerifier(List.of(" ", ""), TOLERANCE, CLOCK);
        assertFalse(none.configured());
        assertEquals(RejectReason.SIGNATURE_MISMATCH, rejection(none, header(NOW, hmac(PRIMARY, NOW, body))));
    }

    private RejectReason rejection(SignatureVerifier verifier, String header) {
        return rejection(verifier, body, header);
    }

    private static RejectReason rejection(SignatureVerifier verifier, byte[] body, String header) {
        return assertThrows(SignatureRejectedException.class, () -> verifier.verify(body, header)).reason();
    }

    private static String header(long timestamp, String v1) {
        return "t=" + timestamp + ",v1=" + v1;
    }

    /** Stripe's scheme, written out: hex HMAC-SHA256 of "{t}.{body}" keyed with the secret. */
    private static String hmac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
