package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.account.SharedSecretJwtConfig;
import dev.tollgate.config.CorsOffConfig;
import dev.tollgate.config.ProductionSettings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The configuration production resolves from the shipped manifests: the ConfigMap's variables as the
 * environment (envFrom), application.properties under the prod profile, and the service's own config sources.
 * The manifests pass production's start-up rules in both token modes, and adding JWT_HS256_SECRET to the
 * Secret switches to HS256 although the ConfigMap names a public-key location (smallrye-jwt refused HMAC
 * then: SRJWT02000).
 */
class ManifestSettingsTest {

    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path ENV_EXAMPLE = Path.of("deploy/tollgate.env.example");
    private static final String SECRET = "a-shared-hs256-secret-of-at-least-32-bytes";

    @Test
    void publicKeyModeAsShipped() throws IOException {
        SmallRyeConfig config = production(Map.of());
        assertEquals("https://auth.example.com/.well-known/jwks.json",
                config.getConfigValue("mp.jwt.verify.publickey.location").getValue());
        assertNoRefusal(config);
    }

    @Test
    void sharedSecretInTheSecretSelectsHs256OverTheConfigMapsKeyLocation() throws IOException {
        SmallRyeConfig config = production(Map.of("JWT_HS256_SECRET", SECRET));
        assertEquals("NONE", config.getConfigValue("mp.jwt.verify.publickey.location").getValue());
        assertEquals("NONE", config.getConfigValue("smallrye.jwt.verify.key.location").getValue());
        assertEquals("HS256", config.getConfigValue("mp.jwt.verify.publickey.algorithm").getValue());
        assertTrue(config.getConfigValue("smallrye.jwt.verify.secretkey").getValue().contains("\"kty\":\"oct\""));
        assertNoRefusal(config);
    }

    @Test
    void corsNoneTurnsCorsOff() throws IOException {
        SmallRyeConfig config = production(Map.of("TOLLGATE_CORS_ORIGINS", "none"));
        assertEquals("false", config.getConfigValue("quarkus.http.cors.enabled").getValue());
        assertNoRefusal(config);
        assertEquals("true", production(Map.of()).getConfigValue("quarkus.http.cors.enabled").getValue());
    }

    @Test
    void withoutTheConfigMapProductionRefusesToStart() throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withProfile("prod").addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(PROPERTIES.toUri().toURL(), 250))
                .withSources(new SharedSecretJwtConfig(), new CorsOffConfig()).build();
        ProductionSettings.Verdict verdict = ProductionSettings.check(name -> config.getOptionalValue(name, String.class));
        assertEquals(5, verdict.refusals().size(), verdict.refusals().toString());
    }

    /** The example environment README runs the jar with is complete enough for production to start. */
    @Test
    void exampleEnvironmentFilePassesProductionsRules() throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(ENV_EXAMPLE)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                assertTrue(line.matches("[A-Z][A-Z0-9_]*=\\S*"), "KEY=value without quotes or spaces: " + line);
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        assertTrue(env.keySet().containsAll(Set.of("DB_URL", "DB_USER", "DB_PASSWORD", "STRIPE_SECRET_KEY",
                "STRIPE_WEBHOOK_SECRET")), env.keySet().toString());
        SmallRyeConfig config = new SmallRyeConfigBuilder().withProfile("prod").addDefaultInterceptors()
                .withSources(new EnvConfigSource(env, 300))
                .withSources(new PropertiesConfigSource(PROPERTIES.toUri().toURL(), 250))
                .withSources(new SharedSecretJwtConfig(), new CorsOffConfig()).build();
        assertNoRefusal(config);
        assertEquals(env.get("DB_URL"), config.getConfigValue("quarkus.datasource.reactive.url").getValue());
        assertEquals("jdbc:" + env.get("DB_URL"), config.getConfigValue("quarkus.datasource.jdbc.url").getValue());
    }

    private static void assertNoRefusal(SmallRyeConfig config) {
        ProductionSettings.Verdict verdict = ProductionSettings.check(name -> config.getOptionalValue(name, String.class));
        assertFalse(verdict.refused(), verdict.refusals().toString());
    }

    private static SmallRyeConfig production(Map<String, String> secretOrOverrides) throws IOException {
        Map<String, String> env = new HashMap<>();
        JsonNode configMap = Kustomization.read(Path.of("k8s/base/configmap.yaml")).get(0);
        configMap.path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        env.putAll(secretOrOverrides);
        return new SmallRyeConfigBuilder().withProfile("prod").addDefaultInterceptors()
                .withSources(new EnvConfigSource(env, 300))
                .withSources(new PropertiesConfigSource(PROPERTIES.toUri().toURL(), 250))
                .withSources(new SharedSecretJwtConfig(), new CorsOffConfig()).build();
    }

}
