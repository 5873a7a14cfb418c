package dev.tollgate.reconciliation;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Catch-up from Stripe's Events API, backfill of an existing account, and the subscription drift check. */
@ConfigMapping(prefix = "tollgate.reconciliation")
public interface ReconciliationConfig {

    CatchUp catchUp();

    Backfill backfill();

    Drift drift();

    interface CatchUp {

        /** How often the catch-up runs (read by the scheduler; "off" disables the schedule). */
        @WithDefault("5m")
        String interval();

        /**
         * How far before the cursor each run starts listing again: covers events Stripe makes listable a
         * little after their created time, and clock skew. Events seen twice are deduplicated by the inbox.
         */
        @WithDefault("10m")
        Duration overlap();

        /** Where the very first run starts, when there is no cursor yet (Stripe lists at most 30 days). */
        @WithDefault("24h")
        Duration initialLookback();

        /** A run logs a warning when the cursor it starts from is older than this. */
        @WithDefault("7d")
        Duration cursorWarningAge();

        /** Events per Events API page (Stripe allows 1..100). */
        @WithDefault("100")
        int pageSize();
    }

    interface Backfill {

        /** Objects per list page (Stripe allows 1..100). */
        @WithDefault("100")
        int pageSize();
    }

    interface Drift {

        /** When the scheduled drift check runs (Quartz cron; "off" disables it). Daily at 03:30 by default. */
        @WithDefault("0 30 3 * * ?")
        String cron();

        /** How many subscriptions the scheduled check compares (a random sample). */
        @WithDefault("100")
        int sample();

        /** Subscriptions read from Stripe at the same time. */
        @WithDefault("4")
        int concurrency();
    }
}
