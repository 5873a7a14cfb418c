package dev.tollgate.credits;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Whether the account's credits are frozen by an open dispute (only ever when freezing is configured). */
@ApplicationScoped
public class CreditFreezes {

    private final Pool pool;
    private final DisputesConfig config;

    public CreditFreezes(Pool pool, DisputesConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** The dispute freezing the account's credits; empty (and no query) when freezing is off. */
    public Uni<Optional<String>> frozenBy(String accountId) {
        if (!config.freezeCredits()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return pool.preparedQuery("select dispute_id from credit_freeze where account_id = $1 order by created_at"
                + " limit 1").execute(Tuple.of(accountId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getString("dispute_id")));
    }
}
