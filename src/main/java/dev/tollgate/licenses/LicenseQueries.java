package dev.tollgate.licenses;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** An account's licenses, newest first: for the account itself and for operators. */
@ApplicationScoped
public class LicenseQueries {

    private static final String OF_ACCOUNT = "select key, plan, status, subscription_id, expires_at, created_at"
            + " from license where account_id = $1 order by created_at desc";

    private final Pool pool;

    public LicenseQueries(Pool pool) {
        this.pool = pool;
    }

    public record License(String key, String plan, String status, String subscriptionId, OffsetDateTime expiresAt,
            OffsetDateTime createdAt) {
    }

    public Uni<List<License>> ofAccount(String accountId) {
        return pool.preparedQuery(OF_ACCOUNT).execute(Tuple.of(accountId)).map(rows -> {
            List<License> result = new ArrayList<>();
            for (Row row : rows) {
                result.add(new License(row.getString("key"), row.getString("plan"), row.getString("status"),
                        row.getString("subscription_id"), row.getOffsetDateTime("expires_at"),
                        row.getOffsetDateTime("created_at")));
            }
            return result;
        });
    }
}
