package dev.tollgate.devmode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Mints tokens the running dev service accepts: RS256 with the development private key (whose public half dev
 * mode verifies with), or HS256 with JWT_HS256_SECRET when that is set; with the issuer and first audience
 * the service expects.
 */
final class DevTokens {

    private DevTokens() {
    }

    /**
     * @param keyLocation a PEM (PKCS#8) file path, or a class-path resource
     */
    static String mint(String account, String role, String email, long lifetimeSeconds, Optional<String> issuer,
            Optional<List<String>> audiences, Optional<String> hs256Secret, String keyLocation) {
        JwtClaims claims = new JwtClaims();
        issuer.ifPresent(claims::setIssuer);
        audiences.filter(a -> !a.isEmpty()).ifPresent(a -> claims.setAudience(a.get(0)));
        claims.setSubject(account);
        claims.setStringListClaim("groups", role);
        claims.setClaim("email", email);
        claims.setIssuedAtToNow();
        claims.setGeneratedJwtId();
        claims.setExpirationTimeMinutesInTheFuture(lifetimeSeconds / 60f);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setHeader("typ", "JWT");
        try {
            if (hs256Secret.isPresent()) {
                jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
                jws.setKey(new HmacKey(hs256Secret.get().getBytes(StandardCharsets.UTF_8)));
            } else {
                jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
                jws.setKey(privateKey(keyLocation));
            }
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("The dev token could not be signed", e);
        }
    }

    private static PrivateKey privateKey(String location) {
        try {
            String pem = read(location);
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(base64)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("The development signing key " + location + " cannot be read", e);
        }
    }

    private static String read(String location) throws IOException {
        Path file = Path.of(location);
        if (Files.isRegularFile(file)) {
            return Files.readString(file);
        }
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                throw new IOException("not found");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
