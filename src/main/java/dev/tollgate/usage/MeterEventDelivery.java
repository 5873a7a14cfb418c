package dev.tollgate.usage;

import java.util.List;

import dev.tollgate.usage.UsageRecords.Claimed;
import io.smallrye.mutiny.Uni;

/** One of Stripe's two ways to receive meter events (tollgate.usage.sender.api). */
interface MeterEventDelivery {

    /** Sends the claimed records and reports each one's outcome; completes once all are decided, never fails. */
    Uni<Void> deliver(List<Claimed> records, DeliveryOutcomes outcomes);
}
