package dev.tollgate.tax;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.stripe.StripeForm;

/**
 * The Stripe Tax parameters each call needs when {@link TaxConfig#automatic()} is on; with it off nothing is
 * added, so Stripe charges no tax.
 */
@ApplicationScoped
public class AutomaticTax {

    private final TaxConfig config;

    public AutomaticTax(TaxConfig config) {
        this.config = config;
    }

    public boolean enabled() {
        return config.automatic();
    }

    /**
     * A Checkout for an existing customer (Tollgate always names one): Stripe requires customer_update[address]=auto
     * with automatic tax, so the address typed on the page is saved where tax is computed from, and
     * customer_update[name]=auto with tax id collection, so the business name goes with the tax id.
     */
    public StripeForm addToCheckout(StripeForm form) {
        if (config.automatic()) {
            form.add("automatic_tax[enabled]", true).add("billing_address_collection", "required")
                    .add("tax_id_collection[enabled]", true).add("customer_update[address]", "auto")
                    .add("customer_update[name]", "auto");
        }
        return form;
    }

    /**
     * A subscription update, or its invoice preview (POST /v1/invoices/create_preview): automatic_tax is a top-level
     * parameter of both, and the preview must carry it to show the tax the change will charge.
     */
    public StripeForm addToSubscription(StripeForm form) {
        if (config.automatic()) {
            form.add("automatic_tax[enabled]", true);
        }
        return form;
    }
}
