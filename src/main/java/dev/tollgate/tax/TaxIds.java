package dev.tollgate.tax;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.account.AccountCustomers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The tax ids of an account's Stripe customers, from the customer.tax_id.* mirror. */
@ApplicationScoped
public class TaxIds {

    private static final String SQL = "select id, type, value, country, verification_status from stripe_tax_id"
            + " where customer_id in (" + AccountCustomers.IDS + ") and not deleted order by id";

    /** @param verification Stripe's verification status: pending, verified, unverified or unavailable */
    public record TaxId(String id, String type, String value, String country, String verification) {
    }

    private final Pool pool;

    public TaxIds(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<TaxId>> of(String accountId) {
        return pool.preparedQuery(SQL).execute(Tuple.of(accountId)).map(rows -> {
            List<TaxId> ids = new ArrayList<>();
            rows.forEach(row -> ids.add(new TaxId(row.getString("id"), row.getString("type"), row.getString("value"),
                    row.getString("country"), row.getString("verification_status"))));
            return ids;
        });
    }
}
