package dev.tollgate.config;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Gives {@code TOLLGATE_CORS_ORIGINS=none} its meaning: CORS off, so no browser on another origin may call
 * the API (for deployments whose callers are all backends). An empty value cannot say this: it means
 * "unset", which production refuses ({@link ProductionSettings}) so that a forgotten variable is not read
 * as a decision. Without "none" it contributes nothing.
 */
public class CorsOffConfig implements ConfigSourceFactory {

    static final String NONE = "none";
    // Above application.properties (250), below environment variables (300): QUARKUS_HTTP_CORS_ENABLED wins.
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue origins = context.getValue("quarkus.http.cors.origins");
        if (origins == null || origins.getValue() == null || !origins.getValue().trim().equalsIgnoreCase(NONE)) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of("quarkus.http.cors.enabled", "false"), "tollgate-cors-none",
                ORDINAL));
    }
}
