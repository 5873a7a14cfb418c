package dev.tollgate.entitlements;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How billing states translate into access. */
@ConfigMapping(prefix = "tollgate.entitlements")
public interface EntitlementsConfig {

    /** A past_due subscription keeps its plan this long after its current period started (the failed renewal). */
    @WithDefault("7d")
    Duration pastDueGrace();
}
