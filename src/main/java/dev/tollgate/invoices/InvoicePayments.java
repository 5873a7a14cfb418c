package dev.tollgate.invoices;

import static dev.tollgate.common.Json.longValue;
import static dev.tollgate.common.Json.ref;
import static dev.tollgate.common.Json.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.common.ProblemException;
import dev.tollgate.mirror.MirrorSpecs;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.stripe.StripeKeys;
import dev.tollgate.webhook.processing.DirectApplier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Retries the payment of one of the account's open invoices now (POST /v1/invoices/{id}/pay), with the
 * customer's default payment method or a saved one. A card that needs authentication makes Stripe answer
 * 402 (or leave the invoice open): the invoice is then read with its payment intent, and when that waits
 * for the customer the answer carries the client secret to confirm with Stripe.js (and the pending action
 * is recorded, so GET /v1/billing/subscription shows it too).
 */
@ApplicationScoped
public class InvoicePayments {

    /** The new status of the invoice, and what the customer must do when the payment needs them. */
    public record PayResult(String invoiceId, String status, Long amountDue, Long amountPaid, Long amountRemaining,
            String currency, PaymentAction action) {
    }

    private static final String RECORD_ACTION = "insert into payment_action (invoice_id, customer_id, account_id,"
            + " subscription_id, amount, currency, hosted_invoice_url, payment_intent_id, client_secret)"
            + " values ($1, $2, tollgate_customer_account($2, null), $3, $4, $5, $6, $7, $8)"
            + " on conflict (invoice_id) do update set payment_intent_id = excluded.payment_intent_id,"
            + " client_secret = excluded.client_secret, amount = excluded.amount, updated_at = now()";

    private final InvoiceQueries invoices;
    private final StripeApi stripe;
    private final DirectApplier applier;
    private final Pool pool;
    private final ObjectMapper mapper;

    public InvoicePayments(InvoiceQueries invoices, StripeApi stripe, DirectApplier applier, Pool pool,
            ObjectMapper mapper) {
        this.invoices = invoices;
        this.stripe = stripe;
        this.applier = applier;
        this.pool = pool;
        this.mapper = mapper;
    }

    /**
     * @param paymentMethod null (the customer's default) or one of the account's saved payment methods
     * @param requestKey the caller's Idempotency-Key, or null: a retry without one is a new attempt (Stripe
     *        replays a declined attempt for a reused key, which would make "pay again" fail forever)
     */
    public Uni<PayResult> pay(String accountId, String invoiceId, String paymentMethod, String requestKey) {
        return invoices.own(accountId, invoiceId).flatMap(found -> {
            JsonNode invoice = parse(found.orElseThrow(() -> ProblemException.notFound(
                    "The account has no invoice " + invoiceId + ".")));
            if (!"open".equals(text(invoice, "status"))) {
                throw ProblemException.conflict("invoice-not-open", "Invoice " + invoiceId + " is "
                        + text(invoice, "status") + "; only an open invoice can be paid.");
            }
            Uni<Boolean> methodOk = paymentMethod == null ? Uni.createFrom().item(true)
                    : invoices.ownPaymentMethod(accountId, paymentMethod);
            return methodOk.flatMap(ok -> {
                if (!ok) {
                    throw ProblemException.notFound("The account has no saved payment method " + paymentMethod + ".");
                }
                String key = StripeKeys.of("invoice-pay", accountId, invoiceId, paymentMethod,
                        requestKey == null ? UUID.randomUUID().toString() : requestKey);
                return stripe.post("invoices.pay", "/v1/invoices/" + invoiceId + "/pay",
                        new StripeForm().add("payment_method", paymentMethod), key)
                        .flatMap(paid -> store(paid).flatMap(x -> "open".equals(text(paid, "status"))
                                ? needsCustomer(invoiceId, null)
                                : Uni.createFrom().item(result(paid, null))))
                        .onFailure(InvoicePayments::declined)
                        .recoverWithUni(e -> needsCustomer(invoiceId, (ProblemException) e));
            });
        });
    }

    /**
     * The attempt did not pay the invoice: when its payment intent waits for authentication, the action;
     * otherwise the decline as it was (402 with Stripe's message), or the open invoice as it is.
     */
    private Uni<PayResult> needsCustomer(String invoiceId, ProblemException declined) {
        return stripe.get("invoices.retrieve", "/v1/invoices/" + invoiceId
                + "?expand%5B%5D=confirmation_secret&expand%5B%5D=payments.data.payment.payment_intent")
                .flatMap(invoice -> {
                    JsonNode intent = intent(invoice);
                    if (!"requires_action".equals(text(intent, "status"))) {
                        if (declined != null) {
                            throw declined;
                        }
                        return Uni.createFrom().item(result(invoice, null));
                    }
                    String secret = text(intent, "client_secret");
                    if (secret == null) {
                        secret = text(invoice.path("confirmation_secret"), "client_secret");
                    }
                    PaymentAction action = new PaymentAction(PaymentAction.CONFIRM_PAYMENT, invoiceId, secret,
                            text(invoice, "hosted_invoice_url"), longValue(invoice, "amount_remaining"),
                            text(invoice, "currency"));
                    return pool.preparedQuery(RECORD_ACTION).execute(Tuple.tuple().addString(invoiceId)
                            .addString(ref(invoice, "customer")).addString(PaymentActions.subscription(invoice))
                            .addLong(action.amount()).addString(action.currency())
                            .addString(action.hostedInvoiceUrl()).addString(text(intent, "id")).addString(secret))
                            .map(x -> result(invoice, action));
                });
    }

    private Uni<Void> store(JsonNode invoice) {
        String type = "paid".equals(text(invoice, "status")) ? "invoice.paid" : "invoice.updated";
        return applier.apply(List.of(new DirectApplier.Read(type, invoice, MirrorSpecs.INVOICE)));
    }

    private static JsonNode intent(JsonNode invoice) {
        JsonNode first = null;
        for (JsonNode payment : invoice.path("payments").path("data")) {
            JsonNode intent = payment.path("payment").path("payment_intent");
            if (!intent.isObject()) {
                continue;
            }
            if (payment.path("is_default").asBoolean(false)) {
                return intent;
            }
            first = first == null ? intent : first;
        }
        return first == null ? invoice.path("payments").path("missing") : first;
    }

    private static PayResult result(JsonNode invoice, PaymentAction action) {
        return new PayResult(text(invoice, "id"), text(invoice, "status"), longValue(invoice, "amount_due"),
                longValue(invoice, "amount_paid"), longValue(invoice, "amount_remaining"), text(invoice, "currency"),
                action);
    }

    private static boolean declined(Throwable failure) {
        return failure instanceof ProblemException problem && problem.problem().status() == 402;
    }

    private JsonNode parse(String raw) {
        try {
            return mapper.readTree(raw);
        } catch (IOException e) {
            throw new UncheckedIOException("A mirrored invoice is not JSON", e);
        }
    }
}
