package dev.tollgate.devmode;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The named stories dev mode can play, each the sequence of webhooks Stripe sends for it. */
public enum Scenario {
    /** A Checkout for the Pro plan, paid by card: the subscription becomes active, credits and a license follow. */
    SUBSCRIBE("subscribe"),
    /** The period ends and the renewal invoice is paid: another period's credits. */
    RENEW("renew"),
    /** The next renewal's card is declined: the subscription goes past_due (the plan stays for the grace period). */
    PAYMENT_FAILED("payment-failed"),
    /** The customer cancels with immediate effect: back to the default plan, the license is revoked. */
    CANCEL("cancel"),
    /** A Checkout for the small credit pack, paid by card. */
    BUY_PACK("buy-pack"),
    /** The pack's payment is refunded in full: its credits are taken back. */
    REFUND("refund");

    private final String label;

    Scenario(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<Scenario> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.label.equals(wanted)).findFirst();
    }

    /** "subscribe, renew, ..." for messages. */
    public static String labels() {
        return Arrays.stream(values()).map(Scenario::label).collect(Collectors.joining(", "));
    }
}
