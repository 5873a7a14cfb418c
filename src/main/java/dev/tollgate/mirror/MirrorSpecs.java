package dev.tollgate.mirror;

import static dev.tollgate.common.Json.bool;
import static dev.tollgate.common.Json.intValue;
import static dev.tollgate.common.Json.longValue;
import static dev.tollgate.common.Json.objectText;
import static dev.tollgate.common.Json.ref;
import static dev.tollgate.common.Json.text;
import static dev.tollgate.common.Json.time;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The Stripe objects Tollgate mirrors, keyed by their {@code object} name. An event is handled when
 * its {@code data.object} is one of these; every other event type is stored and marked ignored.
 */
public final class MirrorSpecs {

    public static final MirrorSpec CUSTOMER = MirrorSpec.builder("customer", "stripe_customer")
            .column("account_id", o -> o.path("metadata").hasNonNull("account_id")
                    ? o.path("metadata").path("account_id").asText()
                    : null)
            .column("email", o -> text(o, "email"))
            .column("name", o -> text(o, "name"))
            .column("deleted", o -> false) // filled from the version, see MirrorWriter
            .column("metadata", o -> objectText(o, "metadata"))
            .column("currency", o -> text(o, "currency"))
            .build();

    public static final MirrorSpec SUBSCRIPTION = MirrorSpec.builder("subscription", "stripe_subscription")
            .column("customer_id", o -> ref(o, "customer"))
            .column("status", o -> text(o, "status"))
            .column("cancel_at_period_end", o -> o.path("cancel_at_period_end").asBoolean(false))
            .column("cancel_at", o -> time(o, "cancel_at"))
            .column("canceled_at", o -> time(o, "canceled_at"))
            .column("ended_at", o -> time(o, "ended_at"))
            .column("trial_start", o -> time(o, "trial_start"))
            .column("trial_end", o -> time(o, "trial_end"))
            .column("current_period_start", o -> periodBound(o, "current_period_start"))
            .column("current_period_end", o -> periodBound(o, "current_period_end"))
            .column("price_id", o -> ref(firstItem(o), "price"))
            .column("quantity", o -> longValue(firstItem(o), "quantity"))
            .column("metadata", o -> objectText(o, "metadata"))
            .lifecycle(o -> text(o, "status"), List.of(
                    List.of("incomplete"),
                    List.of("trialing"),
                    List.of("active"),
                    List.of("past_due"),
                    List.of("unpaid", "paused"),
                    List.of("canceled", "incomplete_expired")))
            // A renewal moves the period forward; of two versions in one second the later period wins.
            .progress(o -> {
                OffsetDateTime end = periodBound(o, "current_period_end");
                return end == null ? 0L : end.toEpochSecond();
            })
            .children(new MirrorSpec.ChildRows(
                    "delete from stripe_subscription_item where subscription_id = any($1)",
                    "insert into stripe_subscription_item (id, subscription_id, price_id, product_id, quantity,"
                            + " current_period_start, current_period_end) values ($1, $2, $3, $4, $5, $6, $7)"
                            + " on conflict (id) do update set subscription_id = excluded.subscription_id,"
                            + " price_id = excluded.price_id, product_id = excluded.product_id,"
                            + " quantity = excluded.quantity, current_period_start = excluded.current_period_start,"
                            + " current_period_end = excluded.current_period_end",
                    MirrorSpecs::subscriptionItems))
            .build();

    public static final MirrorSpec INVOICE = MirrorSpec.builder("invoice", "stripe_invoice")
            .column("customer_id", o -> ref(o, "customer"))
            .column("subscription_id", MirrorSpecs::invoiceSubscription)
            .column("status", o -> text(o, "status"))
            .column("billing_reason", o -> text(o, "billing_reason"))
            .column("currency", o -> text(o, "currency"))
            .column("amount_due", o -> longValue(o, "amount_due"))
            .column("amount_paid", o -> longValue(o, "amount_paid"))
            .column("amount_remaining", o -> longValue(o, "amount_remaining"))
            .column("total", o -> longValue(o, "total"))
            .column("hosted_invoice_url", o -> text(o, "hosted_invoice_url"))
            .column("invoice_pdf", o -> text(o, "invoice_pdf"))
            .column("number", o -> text(o, "number"))
            .column("period_start", o -> time(o, "period_start"))
            .column("period_end", o -> time(o, "period_end"))
            .column("attempt_count", o -> intValue(o, "attempt_count"))
            .column("next_payment_attempt", o -> time(o, "next_payment_attempt"))
            .column("created_at", o -> time(o, "created"))
            .column("tax", MirrorSpecs::invoiceTax)
            .lifecycle(o -> text(o, "status"), List.of(
                    List.of("draft"),
                    List.of("open"),
                    List.of("uncollectible"),
                    List.of("paid", "void")))
            .progress(o -> {
                Long attempts = longValue(o, "attempt_count");
                return attempts == null ? 0L : attempts;
            })
            .build();

    public static final MirrorSpec PAYMENT_INTENT = MirrorSpec.builder("payment_intent", "stripe_payment_intent")
            .column("customer_id", o -> ref(o, "customer"))
            .column("invoice_id", o -> ref(o, "invoice"))
            .column("status", o -> text(o, "status"))
            .column("amount", o -> longValue(o, "amount"))
            .column("amount_received", o -> longValue(o, "amount_received"))
            .column("currency", o -> text(o, "currency"))
            .column("description", o -> text(o, "description"))
            .column("payment_method_type", MirrorSpecs::paymentIntentMethodType)
            .column("latest_charge_id", o -> ref(o, "latest_charge"))
            .column("failure_code", o -> failure(o, "code"))
            .column("failure_message", o -> failure(o, "message"))
            .column("metadata", o -> objectText(o, "metadata"))
            .column("created_at", o -> time(o, "created"))
            .lifecycle(o -> text(o, "status"), List.of(
                    List.of("requires_payment_method"),
                    List.of("requires_confirmation"),
                    List.of("requires_action"),
                    List.of("processing"),
                    List.of("requires_capture"),
                    List.of("succeeded", "canceled")))
            // A failed attempt returns the intent to requires_payment_method, now carrying the error.
            .progress(o -> o.path("last_payment_error").isObject() ? 1L : 0L)
            .build();

    public static final MirrorSpec CHARGE = MirrorSpec.builder("charge", "stripe_charge")
            .column("customer_id", o -> ref(o, "customer"))
            .column("payment_intent_id", o -> ref(o, "payment_intent"))
            .column("status", o -> text(o, "status"))
            .column("amount", o -> longValue(o, "amount"))
            .column("amount_refunded", o -> longValue(o, "amount_refunded"))
            .column("currency", o -> text(o, "currency"))
            .column("paid", o -> bool(o, "paid"))
            .column("refunded", o -> bool(o, "refunded"))
            .column("payment_method_type", o -> text(o.path("payment_method_details"), "type"))
            .column("card_brand", o -> text(o.path("payment_method_details").path("card"), "brand"))
            .column("card_last4", o -> text(o.path("payment_method_details").path("card"), "last4"))
            .column("failure_code", o -> text(o, "failure_code"))
            .column("failure_message", o -> text(o, "failure_message"))
            .column("receipt_url", o -> text(o, "receipt_url"))
            .column("created_at", o -> time(o, "created"))
            .lifecycle(o -> text(o, "status"), List.of(List.of("pending"), List.of("succeeded", "failed")))
            .progress(o -> {
                Long refunded = longValue(o, "amount_refunded");
                return refunded == null ? 0L : refunded;
            })
            .build();

    public static final MirrorSpec REFUND = MirrorSpec.builder("refund", "stripe_refund")
            .column("charge_id", o -> ref(o, "charge"))
            .column("payment_intent_id", o -> ref(o, "payment_intent"))
            .column("status", o -> text(o, "status"))
            .column("amount", o -> longValue(o, "amount"))
            .column("currency", o -> text(o, "currency"))
            .column("reason", o -> text(o, "reason"))
            .column("created_at", o -> time(o, "created"))
            .lifecycle(o -> text(o, "status"), List.of(
                    List.of("pending", "requires_action"),
                    List.of("succeeded", "failed", "canceled")))
            .build();

    public static final MirrorSpec DISPUTE = MirrorSpec.builder("dispute", "stripe_dispute")
            .column("charge_id", o -> ref(o, "charge"))
            .column("payment_intent_id", o -> ref(o, "payment_intent"))
            .column("status", o -> text(o, "status"))
            .column("reason", o -> text(o, "reason"))
            .column("amount", o -> longValue(o, "amount"))
            .column("currency", o -> text(o, "currency"))
            .column("created_at", o -> time(o, "created"))
            .lifecycle(o -> text(o, "status"), List.of(
                    List.of("warning_needs_response", "needs_response"),
                    List.of("warning_under_review", "under_review"),
                    List.of("warning_closed", "won", "lost", "prevented")))
            .build();

    public static final MirrorSpec CHECKOUT_SESSION = MirrorSpec.builder("checkout.session", "stripe_checkout_session")
            .column("customer_id", o -> ref(o, "customer"))
            .column("client_reference_id", o -> text(o, "client_reference_id"))
            .column("mode", o -> text(o, "mode"))
            .column("status", o -> text(o, "status"))
            .column("payment_status", o -> text(o, "payment_status"))
            .column("subscription_id", o -> ref(o, "subscription"))
            .column("payment_intent_id", o -> ref(o, "payment_intent"))
            .column("amount_total", o -> longValue(o, "amount_total"))
            .column("currency", o -> text(o, "currency"))
            .column("metadata", o -> objectText(o, "metadata"))
            .column("created_at", o -> time(o, "created"))
            .column("amount_tax", o -> longValue(o.path("total_details"), "amount_tax"))
            .lifecycle(o -> text(o, "status") + "/" + text(o, "payment_status"), List.of(
                    List.of("open/unpaid", "open/no_payment_required"),
                    List.of("complete/unpaid", "expired/unpaid", "expired/no_payment_required"),
                    List.of("complete/paid", "complete/no_payment_required")))
            .build();

    public static final MirrorSpec PRODUCT = MirrorSpec.builder("product", "stripe_product")
            .column("name", o -> text(o, "name"))
            .column("active", o -> bool(o, "active"))
            .column("deleted", o -> false) // filled from the version, see MirrorWriter
            .column("metadata", o -> objectText(o, "metadata"))
            .build();

    public static final MirrorSpec PRICE = MirrorSpec.builder("price", "stripe_price")
            .column("product_id", o -> ref(o, "product"))
            .column("active", o -> bool(o, "active"))
            .column("deleted", o -> false) // filled from the version, see MirrorWriter
            .column("currency", o -> text(o, "currency"))
            .column("unit_amount", o -> longValue(o, "unit_amount"))
            .column("recurring_interval", o -> text(o.path("recurring"), "interval"))
            .column("lookup_key", o -> text(o, "lookup_key"))
            .column("metadata", o -> objectText(o, "metadata"))
            .build();

    /**
     * A discount on a customer or one of its subscriptions (customer.discount.*). Its coupon and promotion code
     * are expandable: their terms are copied when expanded (as Tollgate's own subscription changes ask for),
     * else only their ids are known.
     */
    public static final MirrorSpec DISCOUNT = MirrorSpec.builder("discount", "stripe_discount")
            .column("customer_id", o -> ref(o, "customer"))
            .column("subscription_id", o -> ref(o, "subscription"))
            .column("promotion_code_id", o -> ref(o, "promotion_code"))
            .column("promotion_code", o -> text(o.path("promotion_code"), "code"))
            .column("coupon_id", o -> ref(o.path("source"), "coupon"))
            .column("coupon_name", o -> text(o.path("source").path("coupon"), "name"))
            .column("percent_off", o -> o.path("source").path("coupon").path("percent_off").isNumber()
                    ? o.path("source").path("coupon").path("percent_off").asDouble()
                    : null)
            .column("amount_off", o -> longValue(o.path("source").path("coupon"), "amount_off"))
            .column("currency", o -> text(o.path("source").path("coupon"), "currency"))
            .column("duration", o -> text(o.path("source").path("coupon"), "duration"))
            .column("duration_in_months", o -> intValue(o.path("source").path("coupon"), "duration_in_months"))
            .column("start_at", o -> time(o, "start"))
            .column("end_at", o -> time(o, "end"))
            .column("deleted", o -> false) // filled from the version, see MirrorWriter
            .build();

    /** A customer's tax id (customer.tax_id.* events); the owner is read from owner.customer on new versions. */
    public static final MirrorSpec TAX_ID = MirrorSpec.builder("tax_id", "stripe_tax_id")
            .column("customer_id", MirrorSpecs::taxIdCustomer)
            .column("type", o -> text(o, "type"))
            .column("value", o -> text(o, "value"))
            .column("country", o -> text(o, "country"))
            .column("verification_status", o -> text(o.path("verification"), "status"))
            .column("deleted", o -> false) // filled from the version, see MirrorWriter
            .lifecycle(o -> text(o.path("verification"), "status"), List.of(
                    List.of("pending"),
                    List.of("verified", "unverified", "unavailable")))
            .build();

    /** A customer's saved payment method; detached, it has no customer (and leaves the customer's list). */
    public static final MirrorSpec PAYMENT_METHOD = MirrorSpec.builder("payment_method", "stripe_payment_method")
            .column("customer_id", o -> ref(o, "customer"))
            .column("type", o -> text(o, "type"))
            .column("card_brand", o -> text(o.path("card"), "brand"))
            .column("card_last4", o -> text(o.path("card"), "last4"))
            .column("exp_month", o -> intValue(o.path("card"), "exp_month"))
            .column("exp_year", o -> intValue(o.path("card"), "exp_year"))
            .column("created_at", o -> time(o, "created"))
            .build();

    private static final Map<String, MirrorSpec> BY_OBJECT = Stream
            .of(CUSTOMER, SUBSCRIPTION, INVOICE, PAYMENT_INTENT, CHARGE, REFUND, DISPUTE, CHECKOUT_SESSION, PRODUCT,
                    PRICE, DISCOUNT, TAX_ID, PAYMENT_METHOD)
            .collect(Collectors.toUnmodifiableMap(MirrorSpec::objectType, Function.identity()));

    private MirrorSpecs() {
    }

    /** The spec for a Stripe {@code object} name, or null when Tollgate does not mirror it. */
    public static MirrorSpec forObject(String objectType) {
        return objectType == null ? null : BY_OBJECT.get(objectType);
    }

    public static java.util.Collection<MirrorSpec> all() {
        return BY_OBJECT.values();
    }

    private static JsonNode firstItem(JsonNode subscription) {
        return subscription.path("items").path("data").path(0);
    }

    /**
     * Since the 2025 "basil" API versions the current period lives on each subscription item; older
     * versions carry it on the subscription. Read the new shape first, then the old one.
     */
    static OffsetDateTime periodBound(JsonNode subscription, String field) {
        OffsetDateTime fromItem = time(firstItem(subscription), field);
        return fromItem != null ? fromItem : time(subscription, field);
    }

    /**
     * The invoice's tax: the sum of total_taxes (API versions since 2025-03-31), else the older integer tax; null
     * when Stripe says nothing about tax.
     */
    static Long invoiceTax(JsonNode invoice) {
        JsonNode taxes = invoice.path("total_taxes");
        if (taxes.isArray()) {
            long sum = 0;
            for (JsonNode tax : taxes) {
                sum += tax.path("amount").asLong();
            }
            return sum;
        }
        return longValue(invoice, "tax");
    }

    private static String taxIdCustomer(JsonNode taxId) {
        String owner = ref(taxId.path("owner"), "customer");
        return owner != null ? owner : ref(taxId, "customer");
    }

    private static String invoiceSubscription(JsonNode invoice) {
        String current = ref(invoice.path("parent").path("subscription_details"), "subscription");
        return current != null ? current : ref(invoice, "subscription");
    }

    private static String paymentIntentMethodType(JsonNode intent) {
        JsonNode method = intent.path("payment_method");
        if (method.isObject() && method.hasNonNull("type")) {
            return method.path("type").asText();
        }
        JsonNode errorMethod = intent.path("last_payment_error").path("payment_method");
        if (errorMethod.isObject() && errorMethod.hasNonNull("type")) {
            return errorMethod.path("type").asText();
        }
        JsonNode types = intent.path("payment_method_types");
        return types.isArray() && types.size() == 1 ? types.get(0).asText() : null;
    }

    private static String failure(JsonNode intent, String field) {
        JsonNode error = intent.path("last_payment_error");
        return error.isObject() ? text(error, field) : null;
    }

    private static List<Tuple> subscriptionItems(JsonNode subscription) {
        List<Tuple> rows = new ArrayList<>();
        String subscriptionId = text(subscription, "id");
        for (JsonNode item : subscription.path("items").path("data")) {
            String id = text(item, "id");
            if (id == null) {
                continue;
            }
            JsonNode price = item.path("price");
            rows.add(Tuple.tuple()
                    .addString(id)
                    .addString(subscriptionId)
                    .addString(ref(item, "price"))
                    .addString(price.isObject() ? ref(price, "product") : null)
                    .addLong(longValue(item, "quantity"))
                    .addOffsetDateTime(periodOf(item, subscription, "current_period_start"))
                    .addOffsetDateTime(periodOf(item, subscription, "current_period_end")));
        }
        return rows;
    }

    private static OffsetDateTime periodOf(JsonNode item, JsonNode subscription, String field) {
        OffsetDateTime own = time(item, field);
        return own != null ? own : time(subscription, field);
    }
}
