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
 * Lets projects whose identity provider signs HS256 with a plain shared secret (Supabase and
 * similar) set just {@code JWT_HS256_SECRET}. smallrye-jwt only takes a secret wrapped as a JWK and
 * refuses HMAC while a public-key location is set, so this wraps the secret, selects HS256 and turns
 * the public-key location off. Without the secret it contributes nothing.
 */
public class SharedSecretJwtConfig implements ConfigSourceFactory {

    static final String SECRET_PROPERTY = "tollgate.auth.hs256-secret";
    // Above application.properties (250), below environment variables (300) and system properties.
    private static final int ORDINAL = 275;

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
                // smallrye-jwt's own "not set" marker; an empty value fails its config validation.
                "smallrye.jwt.verify.key.location", "NONE",
                "mp.jwt.verify.publickey.location", "NONE");
        return List.of(new PropertiesConfigSource(jwt, "tollgate-hs256-secret", ORDINAL));
    }
}
