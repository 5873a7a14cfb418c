package dev.tollgate.credits;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Credits plus overage: where the part of a consumption that the balance does not cover goes instead of a
 * 402. The usage feature implements it (credits must not depend on it: usage reads plans through
 * entitlements, which read the balance here), and the ledger calls it inside the consumption's own
 * transaction, so a debit and its overage are written together or not at all.
 */
public interface OverageBilling {

    /** The meter a plan bills a feature's overage on, and the Stripe customer it is billed to. */
    record Target(String meter, String eventName, String customerId) {
    }

    /** One consumption's uncovered part, recorded once per {@code sourceKey} (the consumption's ledger key). */
    record Usage(Target target, long value, String sourceKey) {
    }

    /** Where the account's plan bills overage of {@code feature}; empty when it allows none (402 as before). */
    Uni<Optional<Target>> target(String accountId, String feature);

    /** Records overage usage in the caller's transaction; a key recorded before is a unique violation. */
    Uni<Void> record(SqlClient tx, String accountId, List<Usage> usages);

    /** The overage already recorded for these consumption keys, in the caller's transaction. */
    Uni<Map<String, Long>> recorded(SqlClient tx, String accountId, String[] sourceKeys);
}
