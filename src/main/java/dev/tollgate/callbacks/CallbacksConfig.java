package dev.tollgate.callbacks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Callbacks to the product: where they go, how they are signed, how hard delivery tries. */
@ConfigMapping(prefix = "tollgate.callbacks")
public interface CallbacksConfig {

    /** Receivers (comma separated). None: callbacks are off and nothing is written to the outbox. */
    Optional<List<String>> urls();

    /**
     * Signing secrets (comma separated). Every callback carries one {@code v1} signature per secret, so a
     * receiver can move to a new secret while both are configured. Required when URLs are configured.
     */
    Optional<List<String>> secret();

    /** Attempts per callback before it is dead-lettered (status dead) for an operator to redeliver. */
    @WithDefault("10")
    int maxAttempts();

    /** Delay after the first failed attempt; doubles each attempt up to {@link #maxBackoff()}. */
    @WithDefault("30s")
    Duration initialBackoff();

    @WithDefault("1h")
    Duration maxBackoff();

    /** Connect and response timeout of one POST. */
    @WithDefault("10s")
    Duration timeout();

    /** Poll for retries that come due (new callbacks wake the workers at once). */
    @WithDefault("2s")
    Duration pollInterval();

    /** Callbacks one worker claims and delivers (concurrently) at a time. */
    @WithDefault("20")
    int batchSize();

    /** Delivered callbacks are deleted this long after they were delivered (dead ones stay until redelivered). */
    @WithDefault("30d")
    Duration retention();

    /** credits.low is sent when a balance goes down from at least this to below it. 0 turns it off. */
    @WithDefault("100")
    long creditsLowThreshold();
}
