package dev.tollgate.checkout;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.account.AccountCurrency;
import dev.tollgate.catalog.Currencies;
import dev.tollgate.common.ProblemException;
import dev.tollgate.stripe.StripeForm;
import io.smallrye.mutiny.Uni;

/**
 * The currency of a Checkout. An account Stripe has bound to a currency pays in it (asked for another: 409 naming
 * it); otherwise the requested currency when the plan interval or pack is offered in it (else 400 listing the
 * offered ones, rather than charging a currency the customer did not choose), else the catalog's.
 */
@ApplicationScoped
class CheckoutCurrency {

    private final AccountCurrency accounts;
    private final Currencies currencies;

    CheckoutCurrency(AccountCurrency accounts, Currencies currencies) {
        this.accounts = accounts;
        this.currencies = currencies;
    }

    /**
     * Adds {@code currency} to the form whenever the price has more than one: without it Checkout picks one from
     * the customer's location, which may not be the one the page showed.
     *
     * @param amounts the price's amounts by currency ({@link Currencies#planAmounts})
     * @param what "plan pro monthly" or "pack small", for messages
     */
    Uni<StripeForm> addTo(StripeForm form, String accountId, String requested, Map<String, Optional<Long>> amounts,
            String what) {
        String asked = Currencies.parse(requested);
        return accounts.of(accountId).map(bound -> {
            String chosen = bound.map(b -> checkBound(b.currency(), asked, amounts, what))
                    .orElseGet(() -> checkOffered(asked, amounts, what));
            if (amounts.size() > 1) {
                form.add("currency", chosen);
            }
            return form;
        });
    }

    private String checkBound(String bound, String asked, Map<String, Optional<Long>> amounts, String what) {
        if (asked != null && !asked.equals(bound)) {
            throw ProblemException.conflict("currency-locked", "The account pays in " + bound
                    + " (Stripe keeps a customer's currency once it has subscribed or been invoiced): a checkout in "
                    + asked + " is not possible; leave currency out or ask for " + bound + ".");
        }
        if (!amounts.containsKey(bound)) {
            throw ProblemException.conflict("currency-not-offered", "The account pays in " + bound + " and " + what
                    + " is not sold in " + bound + " (only in " + String.join(", ", amounts.keySet()) + ").");
        }
        return bound;
    }

    private String checkOffered(String asked, Map<String, Optional<Long>> amounts, String what) {
        if (asked == null) {
            return currencies.defaultCurrency();
        }
        if (!amounts.containsKey(asked)) {
            throw ProblemException.badRequest("currency-not-offered", what + " is not sold in " + asked
                    + "; it is sold in " + String.join(", ", amounts.keySet()) + ".");
        }
        return asked;
    }
}
