package dev.tollgate.checkout;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.account.AccountCustomers;
import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.common.ProblemException;
import dev.tollgate.stripe.StripeForm;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Decides the trial of a subscription Checkout: the plan's default length or the one asked for (within
 * the plan's maximum), none when the request declines it, and none for an account that has had one when
 * trials are once per account. Asked for explicitly, a trial the account cannot have is refused (409);
 * offered by default, it is left out and the answer says why.
 */
@ApplicationScoped
public class Trials {

    /** Stripe's limit on trial_period_days. */
    static final int STRIPE_MAX_DAYS = 730;
    private static final String EVER_TRIALED = "with customers(id) as (" + AccountCustomers.IDS + ")"
            + " select exists (select 1 from stripe_subscription s where s.customer_id in (select id from customers)"
            + " and s.trial_start is not null) as trialed";

    /** @param note why no trial was given although the plan offers one, or null */
    public record Decision(int days, String note) {
    }

    private final CheckoutConfig config;
    private final Pool pool;

    public Trials(CheckoutConfig config, Pool pool) {
        this.config = config;
        this.pool = pool;
    }

    public Uni<Decision> decide(String accountId, String planId, CatalogConfig.Plan plan, CheckoutRequest request) {
        boolean declined = Boolean.FALSE.equals(request.trial());
        if (declined && request.trialDays() != null) {
            throw ProblemException.badRequest("invalid-checkout", "Give trial: false or trial_days, not both.");
        }
        int days = declined ? 0 : requestedDays(planId, plan, request.trialDays());
        if (days == 0) {
            return Uni.createFrom().item(new Decision(0, null));
        }
        if (!config.oneTrialPerAccount()) {
            return Uni.createFrom().item(new Decision(days, null));
        }
        boolean asked = request.trialDays() != null || Boolean.TRUE.equals(request.trial());
        return pool.preparedQuery(EVER_TRIALED).execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().next().getBoolean("trialed")).map(trialed -> {
                    if (!trialed) {
                        return new Decision(days, null);
                    }
                    String why = "The account has already had a trial, and trials are once per account.";
                    if (asked) {
                        throw ProblemException.conflict("trial-already-used",
                                why + " Start the subscription without one (trial: false).");
                    }
                    return new Decision(0, why);
                });
    }

    private static int requestedDays(String planId, CatalogConfig.Plan plan, Integer asked) {
        if (asked == null) {
            return plan.trialDays();
        }
        int max = Math.min(STRIPE_MAX_DAYS, plan.maxTrialDays().orElse(plan.trialDays()));
        if (max < 1) {
            throw ProblemException.badRequest("trial-not-offered", "Plan \"" + planId + "\" has no trial.");
        }
        if (asked < 1 || asked > max) {
            throw ProblemException.badRequest("invalid-trial-days",
                    "trial_days must be from 1 to " + max + " for plan \"" + planId + "\".");
        }
        return asked;
    }

    /** The Checkout parameters of a trial of this length on this plan. */
    static void addTo(StripeForm form, CatalogConfig.Plan plan, int days) {
        if (days == 0) {
            return;
        }
        form.add("subscription_data[trial_period_days]", days);
        if (!plan.trialRequiresCard()) {
            form.add("payment_method_collection", "if_required")
                    .add("subscription_data[trial_settings][end_behavior][missing_payment_method]",
                            plan.trialEndWithoutCard().stripeValue());
        }
    }
}
