package dev.tollgate.account;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Lets projects whose identity provider signs HS256 with a plain shared secret (Supabase and similar) set just
 * {@code JWT_HS256_SECRET}. smallrye-jwt only takes a secret wrapped as a JWK and refuses HMAC while a public key
 * is configured (SRJWT02000), so this wraps the secret, selects HS256 and turns the public-key settings off.
 * Without the secret it contributes nothing.
 * <p>
 * The secret selects the mode: it outranks environment variables, because the shipped Kubernetes ConfigMap sets
 * {@code MP_JWT_VERIFY_PUBLICKEY_LOCATION} (the public-key mode's example) and a Secret holding
 * {@code JWT_HS256_SECRET} must still work next to it (README "Security: production settings").
 */
public class SharedSecretJwtConfig implements ConfigSourceFactory {

    static final String SECRET_PROPERTY = "tollgate.auth.hs256-secret";
    // Above application.properties (250) and environment variables (300), below system properties (400).
    static final int ORDINAL = 350;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue secret = context.getValue(SECRET_PROPERTY);
        if (secret == null || secret.getValue() == null || secret.getValue().isBlank()) {
            return List.of();
        }
        String key = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(secret.getValue().getBytes(StandardCharsets.UTF_8));
        Map<String, String> jwt = Map.of(
                "smallrye.jwt.verify.secretkey", "{\"kty\":\"oct\",\"k\":\"" + key + "\"}",
                "smallrye.jwt.verify.algorithm", "HS256",
                "mp.jwt.verify.publickey.algorithm", "HS256",
                // smallrye-jwt's own "not set" marker; an empty value fails its config validation.
                "smallrye.jwt.verify.key.location", "NONE",
                "mp.jwt.verify.publickey.location", "NONE",
                "mp.jwt.verify.publickey", "NONE");
        return List.of(new PropertiesConfigSource(jwt, "tollgate-hs256-secret", ORDINAL));
    }
}
