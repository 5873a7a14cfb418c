package dev.tollgate.live;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Limits of the live streams (SSE). Every open stream holds a connection and a little memory for as long as
 * the browser tab is open, so their number is bounded per account and per instance.
 */
@ConfigMapping(prefix = "tollgate.live")
public interface LiveConfig {

    /** Open streams one account may hold on one instance (a few tabs); one more is answered 429. */
    @WithDefault("5")
    int maxStreamsPerAccount();

    /** Open streams of all accounts on one instance; one more is answered 429. */
    @WithDefault("1000")
    int maxStreams();

    /** How often an idle stream gets a heartbeat event, so proxies do not close it. */
    @WithDefault("15s")
    Duration heartbeat();
}
