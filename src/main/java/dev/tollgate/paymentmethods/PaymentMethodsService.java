package dev.tollgate.paymentmethods;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.account.StripeCustomers;
import dev.tollgate.common.ProblemException;
import dev.tollgate.mirror.MirrorSpecs;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.stripe.StripeKeys;
import dev.tollgate.subscription.CurrentSubscription;
import dev.tollgate.subscription.SubscriptionQueries;
import dev.tollgate.webhook.processing.DirectApplier;
import io.smallrye.mutiny.Uni;

/**
 * Saving, choosing and removing the account's payment methods at Stripe. Every method is first checked to
 * be saved on one of the account's own customers (the mirror), so a user naming somebody else's pm_... gets
 * a 404 and Stripe is never asked. Stripe's answers are stored at once, like the webhook would.
 */
@ApplicationScoped
public class PaymentMethodsService {

    /** What Stripe.js needs to collect and save a card for later, off-session renewals. */
    public record SetupIntent(String id, String clientSecret, String customer) {
    }

    private final PaymentMethodQueries methods;
    private final SubscriptionQueries subscriptions;
    private final StripeCustomers customers;
    private final StripeApi stripe;
    private final DirectApplier applier;

    public PaymentMethodsService(PaymentMethodQueries methods, SubscriptionQueries subscriptions,
            StripeCustomers customers, StripeApi stripe, DirectApplier applier) {
        this.methods = methods;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.stripe = stripe;
        this.applier = applier;
    }

    /** A SetupIntent for the account's customer (created on first use), usage off_session. */
    public Uni<SetupIntent> setupIntent(String accountId, String email, String requestKey) {
        return customers.customerFor(accountId, email).flatMap(customer -> stripe.post("setup_intents.create",
                "/v1/setup_intents", new StripeForm().add("customer", customer).add("usage", "off_session")
                        .add("automatic_payment_methods[enabled]", true),
                StripeKeys.of("setup-intent", accountId, requestKey == null ? UUID.randomUUID().toString() : requestKey))
                .map(intent -> new SetupIntent(intent.path("id").asText(), intent.path("client_secret").asText(null),
                        customer)));
    }

    /** Makes the method the customer's default for invoices, and the live subscription's default too. */
    public Uni<Void> makeDefault(String accountId, String paymentMethodId) {
        return owned(accountId, paymentMethodId).flatMap(owned -> stripe.post("customers.update",
                "/v1/customers/" + owned.customerId(),
                new StripeForm().add("invoice_settings[default_payment_method]", paymentMethodId),
                StripeKeys.of("default-payment-method", owned.customerId(), paymentMethodId, UUID.randomUUID().toString()))
                .flatMap(customer -> store("customer.updated", customer, MirrorSpecs.CUSTOMER))
                .flatMap(x -> liveSubscription(accountId, owned.customerId()))
                .flatMap(live -> live == null ? Uni.createFrom().voidItem()
                        : stripe.post("subscriptions.update", "/v1/subscriptions/" + live.id(),
                                new StripeForm().add("default_payment_method", paymentMethodId),
                                StripeKeys.of("subscription-payment-method", live.id(), paymentMethodId,
                                        UUID.randomUUID().toString()))
                                .flatMap(s -> store("customer.subscription.updated", s, MirrorSpecs.SUBSCRIPTION))));
    }

    /**
     * Detaches the method from the customer. The last method of a customer whose subscription is live is kept
     * (409): its next renewal would fail. An operator may force it.
     */
    public Uni<Void> remove(String accountId, String paymentMethodId, boolean force) {
        return owned(accountId, paymentMethodId).flatMap(owned -> liveSubscription(accountId, owned.customerId())
                .flatMap(live -> {
                    if (!force && live != null && owned.methodsOfCustomer() <= 1) {
                        throw ProblemException.conflict("last-payment-method", "Payment method " + paymentMethodId
                                + " is the only one of a " + live.status() + " subscription, whose renewals need it;"
                                + " save another method first.");
                    }
                    return stripe.post("payment_methods.detach", "/v1/payment_methods/" + paymentMethodId + "/detach",
                            new StripeForm(),
                            StripeKeys.of("detach-payment-method", paymentMethodId, UUID.randomUUID().toString()));
                }))
                .flatMap(detached -> store("payment_method.detached", detached, MirrorSpecs.PAYMENT_METHOD));
    }

    private Uni<PaymentMethodQueries.Owned> owned(String accountId, String paymentMethodId) {
        return methods.own(accountId, paymentMethodId).map(found -> found.orElseThrow(() -> ProblemException
                .notFound("The account has no saved payment method " + paymentMethodId + ".")));
    }

    private Uni<CurrentSubscription> liveSubscription(String accountId, String customerId) {
        return subscriptions.current(accountId).map(found -> found
                .filter(s -> s.live() && customerId.equals(s.customerId())).orElse(null));
    }

    private Uni<Void> store(String type, JsonNode object, dev.tollgate.mirror.MirrorSpec spec) {
        return applier.apply(List.of(new DirectApplier.Read(type, object, spec)));
    }
}
