package dev.tollgate.tax;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Stripe Tax: off by default; README says what the Stripe Dashboard needs before it is turned on. */
@ConfigMapping(prefix = "tollgate.tax")
public interface TaxConfig {

    /**
     * Whether Stripe calculates tax (automatic_tax) on Checkout and subscription changes, and Checkout collects a
     * billing address and tax ids.
     */
    @WithDefault("false")
    boolean automatic();
}
