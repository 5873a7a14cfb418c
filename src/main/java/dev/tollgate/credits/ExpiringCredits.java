package dev.tollgate.credits;

/**
 * The one rule for spending expiring credits, as SQL for the statements that take credits: the amount
 * comes out of the account's expiring grants soonest-expiring first, so spending uses credits that would
 * lapse before lasting ones, and what is left of the grants never exceeds the balance. Run it after the
 * account's balance row is locked, so it sees every earlier debit.
 */
final class ExpiringCredits {

    private ExpiringCredits() {
    }

    /**
     * Two CTEs ("ordered", "spent") for a WITH clause: {@code $accountParam} is the account,
     * {@code $amountParam} the credits taken.
     */
    static String spendCtes(int accountParam, int amountParam) {
        String account = "$" + accountParam;
        String amount = "$" + amountParam;
        return "ordered as (select entry_id, remaining, sum(remaining) over (order by expires_at, entry_id)"
                + " - remaining as before from credit_expiring where account_id = " + account + " and remaining > 0),"
                + " spent as (update credit_expiring e set remaining = e.remaining - least(o.remaining, " + amount
                + " - o.before) from ordered o where e.entry_id = o.entry_id and o.before < " + amount + ")";
    }
}
