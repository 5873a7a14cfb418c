package dev.tollgate.invoices;

import static dev.tollgate.common.Json.ref;
import static dev.tollgate.common.Json.text;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.common.ProblemException;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeGateway;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads the client secret of each recorded payment action from Stripe, once. Neither the invoice nor its
 * payment intent in a webhook payload names the other since the 2025 API versions, and the invoice's
 * {@code confirmation_secret} is only there when expanded, so the one retrieve below is the only way to it.
 * Doing it here, after the event is applied, keeps GET /v1/billing/subscription a database read (never
 * Stripe-bound, never slowed or refused by Stripe); it is bounded by the batch size per tick, and by the
 * gateway's own limit on calls to Stripe. Failures back off per invoice and stop after a few attempts
 * (the hosted invoice page in the action still lets the customer pay).
 */
@ApplicationScoped
public class PaymentActionSecrets {

    private static final Logger LOG = Logger.getLogger(PaymentActionSecrets.class);
    private static final int BATCH = 20;
    private static final int MAX_ATTEMPTS = 8;
    private static final String DUE = "select invoice_id from payment_action where client_secret is null"
            + " and fetch_attempts < $1 and next_fetch_at <= now() order by next_fetch_at limit $2";
    private static final String STORE = "update payment_action set client_secret = $2,"
            + " payment_intent_id = coalesce($3, payment_intent_id), updated_at = now() where invoice_id = $1";
    private static final String BACK_OFF = "update payment_action set fetch_attempts = fetch_attempts + 1,"
            + " next_fetch_at = now() + make_interval(secs => power(2, fetch_attempts + 1)) where invoice_id = $1";

    private final Pool pool;
    private final StripeApi stripe;
    private final StripeGateway gateway;

    /** @param config read by the schedule below; injected so its defaults are known to the expression */
    public PaymentActionSecrets(Pool pool, StripeApi stripe, StripeGateway gateway, InvoicesConfig config) {
        this.pool = pool;
        this.stripe = stripe;
        this.gateway = gateway;
    }

    @Scheduled(every = "${tollgate.invoices.action-secret-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> fetchDue() {
        if (!gateway.configured()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(DUE).execute(Tuple.of(MAX_ATTEMPTS, BATCH))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(this::fetch)
                .collect().last().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Reading client secrets of payment actions failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> fetch(Row due) {
        String invoiceId = due.getString("invoice_id");
        return stripe.get("invoices.retrieve", "/v1/invoices/" + invoiceId
                + "?expand%5B%5D=confirmation_secret&expand%5B%5D=payments")
                .flatMap(invoice -> store(invoiceId, invoice))
                .onFailure(ProblemException.class).recoverWithUni(e -> {
                    LOG.warnf("Could not read the client secret of invoice %s; will try again: %s", invoiceId,
                            e.getMessage());
                    return pool.preparedQuery(BACK_OFF).execute(Tuple.of(invoiceId)).replaceWithVoid();
                });
    }

    /** Stores what the invoice read from Stripe says; also used by a payment attempt that needs authentication. */
    Uni<Void> store(String invoiceId, JsonNode invoice) {
        String secret = text(invoice.path("confirmation_secret"), "client_secret");
        if (secret == null) {
            return pool.preparedQuery(BACK_OFF).execute(Tuple.of(invoiceId)).replaceWithVoid();
        }
        return pool.preparedQuery(STORE).execute(Tuple.of(invoiceId, secret, paymentIntent(invoice)))
                .replaceWithVoid();
    }

    /** The invoice's default payment's intent (invoice_payment.payment.payment_intent), id or expanded. */
    static String paymentIntent(JsonNode invoice) {
        String first = null;
        for (JsonNode payment : invoice.path("payments").path("data")) {
            String intent = ref(payment.path("payment"), "payment_intent");
            if (payment.path("is_default").asBoolean(false) && intent != null) {
                return intent;
            }
            first = first == null ? intent : first;
        }
        return first;
    }
}
