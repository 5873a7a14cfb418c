package dev.tollgate.paymentmethods;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.account.AccountCustomers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The account's saved payment methods, from the mirror of payment_method.attached/updated/detached; the
 * default is the one the customer's {@code invoice_settings.default_payment_method} names (mirrored customer).
 */
@ApplicationScoped
public class PaymentMethodQueries {

    private static final String DEFAULT_OF = "(select c.raw::jsonb -> 'invoice_settings' ->> 'default_payment_method'"
            + " from stripe_customer c where c.id = pm.customer_id)";
    private static final String LIST = "select pm.id, pm.customer_id, pm.type, pm.card_brand, pm.card_last4,"
            + " pm.exp_month, pm.exp_year, pm.id = " + DEFAULT_OF + " as is_default"
            + " from stripe_payment_method pm where pm.customer_id in (" + AccountCustomers.IDS + ")"
            + " order by pm.created_at desc nulls last, pm.id";
    private static final String OWN = "select pm.id, pm.customer_id, pm.type, pm.card_brand, pm.card_last4,"
            + " pm.exp_month, pm.exp_year, pm.id = " + DEFAULT_OF + " as is_default,"
            + " (select count(*) from stripe_payment_method o where o.customer_id = pm.customer_id) as siblings"
            + " from stripe_payment_method pm where pm.id = $2 and pm.customer_id in (" + AccountCustomers.IDS + ")";

    /** One saved payment method as the account sees it. */
    public record PaymentMethod(String id, String type, String brand, String last4, Integer expMonth, Integer expYear,
            boolean isDefault) {
    }

    /** A payment method of the account, its customer, and how many methods that customer has saved. */
    public record Owned(PaymentMethod method, String customerId, long methodsOfCustomer) {
    }

    private final Pool pool;

    public PaymentMethodQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<PaymentMethod>> list(String accountId) {
        return pool.preparedQuery(LIST).execute(Tuple.of(accountId)).map(rows -> {
            List<PaymentMethod> methods = new ArrayList<>();
            rows.forEach(row -> methods.add(map(row)));
            return methods;
        });
    }

    /** The payment method when it is saved on one of the account's customers; empty for anybody else's. */
    public Uni<Optional<Owned>> own(String accountId, String paymentMethodId) {
        return pool.preparedQuery(OWN).execute(Tuple.of(accountId, paymentMethodId)).map(rows -> {
            if (rows.rowCount() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(new Owned(map(row), row.getString("customer_id"), row.getLong("siblings")));
        });
    }

    private static PaymentMethod map(Row row) {
        return new PaymentMethod(row.getString("id"), row.getString("type"), row.getString("card_brand"),
                row.getString("card_last4"), row.getInteger("exp_month"), row.getInteger("exp_year"),
                Boolean.TRUE.equals(row.getBoolean("is_default")));
    }
}
