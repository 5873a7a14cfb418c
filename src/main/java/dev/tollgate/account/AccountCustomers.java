package dev.tollgate.account;

/**
 * SQL naming an account's Stripe customers ($1 = account id): the one its account row names and any
 * whose metadata.account_id names it (customers created in the Dashboard or before Tollgate).
 */
public final class AccountCustomers {

    public static final String IDS = "select c.id from stripe_customer c where c.account_id = $1 and not c.deleted"
            + " union select a.stripe_customer_id from account a where a.id = $1 and a.stripe_customer_id is not null";

    private AccountCustomers() {
    }
}
