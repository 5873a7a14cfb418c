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

    /**
     * How long an account's billing state may be served from memory. Changes invalidate it at once (every
     * replica hears them); this bound only matters if a notification were lost. 0 turns the cache off.
     */
    @WithDefault("30s")
    Duration cacheTtl();

    /** Accounts kept in memory before the cache starts over. */
    @WithDefault("100000")
    int cacheSize();
}
