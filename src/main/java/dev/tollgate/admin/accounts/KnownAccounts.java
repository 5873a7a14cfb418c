package dev.tollgate.admin.accounts;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.account.AccountCustomers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Whether Tollgate knows an account, and its customer records. An account is known once anything billing
 * refers to it: its account row (first checkout), a Stripe customer whose metadata names it, a ledger entry
 * or a license. Operators mistype ids; this is what turns a typo into a 404 instead of an empty page or a
 * grant to nobody.
 */
@ApplicationScoped
public class KnownAccounts {

    private static final String EXISTS = "select exists(select 1 from account where id = $1)"
            + " or exists(select 1 from stripe_customer where account_id = $1)"
            + " or exists(select 1 from credit_ledger where account_id = $1)"
            + " or exists(select 1 from license where account_id = $1)";
    private static final String ACCOUNT = "select stripe_customer_id, email, created_at from account where id = $1";
    private static final String CUSTOMERS = "select id, email, name, deleted from stripe_customer where id in ("
            + AccountCustomers.IDS + ") order by id";

    private final Pool pool;

    public KnownAccounts(Pool pool) {
        this.pool = pool;
    }

    /** A Stripe customer of the account as the mirror holds it. */
    public record MirroredCustomer(String id, String email, String name, boolean deleted) {
    }

    /**
     * @param stripeCustomerId the customer Tollgate created for the account (null before its first checkout)
     * @param customers every mirrored customer that belongs to the account
     */
    public record CustomerView(String stripeCustomerId, String email, OffsetDateTime createdAt,
            List<MirroredCustomer> customers) {
    }

    public Uni<Boolean> exists(String accountId) {
        return pool.preparedQuery(EXISTS).execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    public Uni<CustomerView> customer(String accountId) {
        Uni<Row> account = pool.preparedQuery(ACCOUNT).execute(Tuple.of(accountId))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next());
        Uni<List<MirroredCustomer>> customers = pool.preparedQuery(CUSTOMERS).execute(Tuple.of(accountId))
                .map(rows -> {
                    List<MirroredCustomer> result = new ArrayList<>();
                    rows.forEach(row -> result.add(new MirroredCustomer(row.getString("id"), row.getString("email"),
                            row.getString("name"), Boolean.TRUE.equals(row.getBoolean("deleted")))));
                    return result;
                });
        return Uni.combine().all().unis(account, customers).asTuple().map(t -> {
            Row row = t.getItem1();
            return row == null
                    ? new CustomerView(null, null, null, t.getItem2())
                    : new CustomerView(row.getString("stripe_customer_id"), row.getString("email"),
                            row.getOffsetDateTime("created_at"), t.getItem2());
        });
    }
}
