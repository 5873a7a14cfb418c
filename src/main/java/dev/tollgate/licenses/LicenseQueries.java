package dev.tollgate.licenses;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.Seats;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** An account's licenses, newest first: for the account itself and for operators. */
@ApplicationScoped
public class LicenseQueries {

    private static final String OF_ACCOUNT = "select l.key, l.plan, l.status, l.subscription_id, l.expires_at,"
            + " l.created_at, s.quantity from license l left join stripe_subscription s on s.id = l.subscription_id"
            + " where l.account_id = $1 order by l.created_at desc";

    private final Pool pool;
    private final Catalog catalog;

    public LicenseQueries(Pool pool, Catalog catalog) {
        this.pool = pool;
        this.catalog = catalog;
    }

    /** @param seats the seats the license covers: the subscription's quantity on a per-seat plan, else limits.seats */
    public record License(String key, String plan, String status, String subscriptionId, OffsetDateTime expiresAt,
            OffsetDateTime createdAt, Long seats) {
    }

    /** The seats of a license of this plan whose subscription has this quantity; null when the plan has none. */
    public Long seats(String plan, Long quantity) {
        return catalog.plan(plan).map(p -> Seats.of(p, quantity)).orElse(null);
    }

    public Uni<List<License>> ofAccount(String accountId) {
        return pool.preparedQuery(OF_ACCOUNT).execute(Tuple.of(accountId)).map(rows -> {
            List<License> result = new ArrayList<>();
            for (Row row : rows) {
                result.add(new License(row.getString("key"), row.getString("plan"), row.getString("status"),
                        row.getString("subscription_id"), row.getOffsetDateTime("expires_at"),
                        row.getOffsetDateTime("created_at"), seats(row.getString("plan"), row.getLong("quantity"))));
            }
            return result;
        });
    }
}
