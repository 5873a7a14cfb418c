package dev.tollgate.usage;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Usage-based billing: what POST /v1/billing/usage accepts and how usage is delivered to Stripe. */
@ConfigMapping(prefix = "tollgate.usage")
public interface UsageConfig {

    /** The largest value one usage record may carry. */
    @WithDefault("1000000000")
    long maxValue();

    /** The oldest timestamp accepted: Stripe refuses meter events older than 35 days. */
    @WithDefault("35d")
    Duration maxAge();

    /** How far ahead of this clock a timestamp may be (callers' clocks drift; Stripe allows 5 minutes). */
    @WithDefault("5m")
    Duration maxClockSkew();

    /** Records written in one insert at most (concurrent requests share a commit). */
    @WithDefault("200")
    int writeBatchSize();

    Sender sender();

    /** Stripe's two ways to receive meter events. */
    enum Api {
        /** v2 meter event stream: up to 100 events per request, 10,000 requests/s; validated after answering. */
        METER_EVENT_STREAM,
        /** v1 meter events: one event per request, 1,000/s; a refused event is failed with Stripe's reason. */
        METER_EVENTS
    }

    /** Delivery of stored usage to Stripe as meter events. */
    interface Sender {

        /** Off: records are stored and counted but not sent (e.g. an instance without STRIPE_SECRET_KEY). */
        @WithDefault("true")
        boolean enabled();

        /**
         * meter-event-stream (default: what ingestion at thousands of records per second needs) or meter-events
         * (v1: each event validated before Stripe answers, so a refused one shows as failed in Tollgate).
         */
        @WithDefault("meter-event-stream")
        Api api();

        /** Records claimed per round (the stream sends them 100 per request, concurrency requests at a time). */
        @WithDefault("500")
        int batchSize();

        /** Requests in flight to Stripe at once (stream: of up to 100 events each; v1: of one event). */
        @WithDefault("8")
        int concurrency();

        /**
         * After a round that claimed less than a full batch, how long the next one waits: under steady load
         * records gather into full requests instead of a round (claim, request, update) per few records.
         * Delivery is this much later at most; the first record after a quiet spell goes at once.
         */
        @WithDefault("200ms")
        Duration linger();

        /** Poll for due records (new records wake the sender of their instance at once). */
        @WithDefault("1s")
        Duration pollInterval();

        /** Delay after the first failed attempt; doubles each attempt up to {@link #maxBackoff()}. */
        @WithDefault("5s")
        Duration initialBackoff();

        @WithDefault("10m")
        Duration maxBackoff();
    }
}
