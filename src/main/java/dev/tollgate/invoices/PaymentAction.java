package dev.tollgate.invoices;

/**
 * What the customer must do for a payment to go through: confirm it with Stripe.js
 * ({@code stripe.confirmCardPayment(payment_intent_client_secret)}), or pay on Stripe's hosted invoice page.
 * The client secret is null for the few seconds until it has been read from Stripe; the hosted page works meanwhile.
 */
public record PaymentAction(String type, String invoiceId, String paymentIntentClientSecret, String hostedInvoiceUrl,
        Long amount, String currency) {

    public static final String CONFIRM_PAYMENT = "confirm_payment";
}
