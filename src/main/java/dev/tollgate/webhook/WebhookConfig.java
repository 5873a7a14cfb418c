package dev.tollgate.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the Stripe webhook endpoint and of the processor that applies inbox events. */
@ConfigMapping(prefix = "tollgate.webhook")
public interface WebhookConfig {

    /** Signing secrets (STRIPE_WEBHOOK_SECRET, comma separated) so a secret can be rotated without downtime. */
    Optional<List<String>> secrets();

    /** How far a signature timestamp may be from now, in either direction. */
    @WithDefault("300s")
    Duration tolerance();

    /** Largest body accepted, in bytes; Stripe's events are a few KiB. */
    @WithDefault("524288")
    int maxBodySize();

    /**
     * How long a delivery's body may take to arrive, counted from its headers. A slower one is answered 408
     * and its buffer freed: Stripe sends a few KiB at once, so only a stalled or hostile client takes long.
     */
    @WithDefault("10s")
    Duration bodyTimeout();

    /**
     * Bytes all unfinished webhook bodies together may hold (BodyBudget). Beyond it new deliveries get 503
     * with Retry-After, which Stripe retries. 64 MiB is a sixth of the container's heap (-XX:MaxRAM=512m,
     * 75 %): room for 128 bodies of the largest size at once, or ~16,000 slow connections at 4 KiB each.
     */
    @WithDefault("64M")
    MemorySize maxBufferedBytes();

    /** How often inbox depth and age are refreshed for metrics and readiness. */
    @WithDefault("5s")
    Duration statsInterval();

    /**
     * How often objects whose same-second versions could not be ordered are re-read from Stripe (only
     * when STRIPE_SECRET_KEY is set).
     */
    @WithDefault("10s")
    Duration refreshInterval();

    /**
     * One line per webhook received and per event applied or ignored (type, id, object, outcome; never a body):
     * at INFO when true (dev mode), else at DEBUG.
     */
    @WithDefault("false")
    boolean logEvents();

    Processor processor();

    interface Processor {

        /** Run the processor in this instance (turn off for an ingest-only replica). */
        @WithDefault("true")
        boolean enabled();

        /** Events claimed and applied in one transaction. */
        @WithDefault("250")
        int batchSize();

        /**
         * Batches applied concurrently by this instance while there is a backlog. Applying a batch waits on
         * many short round trips (locks, mirrors, effects), so more batches in flight than cores helps.
         */
        @WithDefault("4")
        int workers();

        /** Attempts before an event is parked as failed for an operator to replay. */
        @WithDefault("8")
        int maxAttempts();

        /** First retry delay; doubles each attempt up to {@link #maxBackoff()}. */
        @WithDefault("5s")
        Duration initialBackoff();

        @WithDefault("1h")
        Duration maxBackoff();

        /**
         * While events trickle in, how long a worker lets them gather before its next batch: fewer,
         * larger transactions for a few milliseconds of apply lag.
         */
        @WithDefault("20ms")
        Duration linger();

        /** Poll for retries that come due and for events stored by other replicas. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Readiness fails when the oldest pending event is older than this (the inbox is hopelessly behind). */
        @WithDefault("30m")
        Duration maxPendingAge();
    }
}
