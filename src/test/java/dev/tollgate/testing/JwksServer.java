package dev.tollgate.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An identity provider's JWKS endpoint: a fresh P-256 key published under a key id, so the service
 * must fetch the key over HTTP and select it by {@code kid} to verify ES256 tokens.
 */
public class JwksServer implements QuarkusTestResourceLifecycleManager {

    public static final String KEY_ID = "idp-key-1";
    private static KeyPair keys;
    private WireMockServer server;

    public static KeyPair keys() {
        return keys;
    }

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        server.stubFor(get(urlEqualTo("/.well-known/jwks.json")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(jwks((ECPublicKey) keys.getPublic()))));
        return Map.of(
                // Production's setting (MP_JWT_VERIFY_PUBLICKEY_LOCATION); the test key location is switched off.
                "smallrye.jwt.verify.key.location", "NONE",
                "mp.jwt.verify.publickey.location", server.baseUrl() + "/.well-known/jwks.json",
                "mp.jwt.verify.publickey.algorithm", "ES256",
                "mp.jwt.verify.issuer", "https://idp.example.com/",
                "mp.jwt.verify.audiences", "tollgate-api");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static String jwks(ECPublicKey key) {
        return """
                {"keys":[{"kty":"EC","crv":"P-256","use":"sig","alg":"ES256","kid":"%s","x":"%s","y":"%s"}]}"""
                .formatted(KEY_ID, coordinate(key.getW().getAffineX()), coordinate(key.getW().getAffineY()));
    }

    /** A JWK coordinate: the unsigned big-endian value padded to the curve's 32 bytes. */
    private static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(fixed, 32));
    }
}
