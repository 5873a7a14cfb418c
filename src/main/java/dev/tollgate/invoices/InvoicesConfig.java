package dev.tollgate.invoices;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Invoices that need the customer: how soon the client secret of a payment awaiting authentication is read. */
@ConfigMapping(prefix = "tollgate.invoices")
public interface InvoicesConfig {

    /** How often payment actions whose client secret is not known yet are read from Stripe (PaymentActionSecrets). */
    @WithDefault("2s")
    Duration actionSecretInterval();
}
