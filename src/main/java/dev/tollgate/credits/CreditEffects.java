package dev.tollgate.credits;

import static dev.tollgate.common.Json.longValue;
import static dev.tollgate.common.Json.ref;
import static dev.tollgate.common.Json.text;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.webhook.processing.EventEffect;
import dev.tollgate.webhook.processing.ParsedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Credits that follow from Stripe events: a paid credit-pack Checkout grants its credits once per
 * session; each paid subscription invoice grants the plan's credits for the period once; a succeeded refund of that payment
 * claws back its share once per refund. A refund seen
 * before its session is settled when the grant is made, so delivery order does not matter.
 */
@ApplicationScoped
public class CreditEffects implements EventEffect {

    private static final String SESSION_FOR_INTENT = "select id, client_reference_id, metadata, amount_total"
            + " from stripe_checkout_session where payment_intent_id = $1 and mode = 'payment'";
    private static final String GRANTED = "select amount from credit_ledger where source_key = $1";
    private static final String PERIOD_CONTEXT = "select i.id,"
            + " coalesce((select s.price_id from stripe_subscription s where s.id = i.sub), i.line_price) as price_id,"
            + " coalesce((select c.account_id from stripe_customer c where c.id = i.cus),"
            + " (select a.id from account a where a.stripe_customer_id = i.cus)) as account_id"
            + " from (select distinct * from unnest($1::text[], $2::text[], $3::text[], $4::text[])"
            + " as u(id, cus, sub, line_price)) as i order by i.id";
    private static final String REFUNDS_FOR_INTENT = "select id, amount from stripe_refund"
            + " where payment_intent_id = $1 and status = 'succeeded'";

    private final CreditLedger ledger;
    private final Catalog catalog;

    public CreditEffects(CreditLedger ledger, Catalog catalog) {
        this.ledger = ledger;
        this.catalog = catalog;
    }

    @Override
    public Uni<Void> apply(SqlConnection connection, List<ParsedEvent> events) {
        Uni<Void> chain = grantPeriods(connection, events);
        for (ParsedEvent event : events) {
            chain = chain.flatMap(x -> applyOne(connection, event));
        }
        return chain;
    }

    private Uni<Void> applyOne(SqlConnection tx, ParsedEvent event) {
        return switch (event.type()) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" ->
                grantPack(tx, event.object());
            case "refund.created", "refund.updated" -> "succeeded".equals(text(event.object(), "status"))
                    ? clawBack(tx, ref(event.object(), "payment_intent"), text(event.object(), "id"),
                            longValue(event.object(), "amount"))
                    : Uni.createFrom().voidItem();
            default -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> grantPack(SqlConnection tx, JsonNode session) {
        Optional<PackPurchase> purchase = PackPurchase.of(session, catalog.config());
        if (purchase.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        PackPurchase p = purchase.get();
        return ledger.grant(tx, p.accountId(), p.credits(), grantKey(p.sessionId()),
                "Credit pack " + p.packId() + " x" + p.quantity(), p.expiresAt())
                .flatMap(x -> p.paymentIntentId() == null
                        ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(REFUNDS_FOR_INTENT).execute(Tuple.of(p.paymentIntentId()))
                                .flatMap(refunds -> {
                                    Uni<Void> chain = Uni.createFrom().voidItem();
                                    for (Row refund : refunds) {
                                        chain = chain.flatMap(y -> clawBack(tx, p.paymentIntentId(),
                                                refund.getString("id"), refund.getLong("amount")));
                                    }
                                    return chain;
                                }));
    }

    /**
     * The plan's credits for each paid subscription period in the batch, once per invoice: the first
     * invoice and every renewal. One query finds each invoice's plan (the subscription's mirrored price, or
     * the invoice's first line when the subscription has not arrived yet) and account (the customer's).
     */
    private Uni<Void> grantPeriods(SqlConnection tx, List<ParsedEvent> events) {
        if (!catalog.grantsPeriodCredits()) {
            return Uni.createFrom().voidItem();
        }
        List<JsonNode> invoices = events.stream().filter(e -> e.type().equals("invoice.paid")).map(ParsedEvent::object)
                .filter(CreditEffects::paidSubscriptionPeriod).toList();
        if (invoices.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] ids = invoices.stream().map(i -> text(i, "id")).toArray(String[]::new);
        String[] customers = invoices.stream().map(i -> ref(i, "customer")).toArray(String[]::new);
        String[] subscriptions = invoices.stream()
                .map(i -> ref(i.path("parent").path("subscription_details"), "subscription")).toArray(String[]::new);
        String[] linePrices = invoices.stream().map(CreditEffects::firstLinePrice).toArray(String[]::new);
        Map<String, Long> periodEnds = new HashMap<>();
        invoices.forEach(i -> periodEnds.put(text(i, "id"), periodEnd(i)));
        return tx.preparedQuery(PERIOD_CONTEXT).execute(Tuple.of(ids, customers, subscriptions, linePrices))
                .flatMap(rows -> {
                    List<CreditLedger.Grant> grants = new ArrayList<>();
                    for (Row row : rows) {
                        Optional<Catalog.PlanPrice> plan = catalog.planForPrice(row.getString("price_id"));
                        String account = row.getString("account_id");
                        if (account == null || plan.isEmpty() || plan.get().plan().creditsPerPeriod() <= 0) {
                            continue;
                        }
                        String invoice = row.getString("id");
                        Long periodEnd = periodEnds.get(invoice);
                        OffsetDateTime expiresAt = plan.get().plan().periodCreditsExpire() && periodEnd != null
                                ? OffsetDateTime.ofInstant(Instant.ofEpochSecond(periodEnd), ZoneOffset.UTC)
                                : null;
                        grants.add(new CreditLedger.Grant(account, plan.get().plan().creditsPerPeriod(),
                                "invoice:" + invoice, "Plan " + plan.get().planId() + " credits, invoice " + invoice,
                                expiresAt));
                    }
                    return ledger.grantAll(tx, grants);
                });
    }

    /**
     * A paid period of a subscription. An invoice without a subscription (a credit-pack Checkout's receipt,
     * billing_reason manual) grants nothing here: the pack's credits are granted once per Checkout Session.
     */
    private static boolean paidSubscriptionPeriod(JsonNode invoice) {
        String reason = text(invoice, "billing_reason");
        String subscription = ref(invoice.path("parent").path("subscription_details"), "subscription");
        return "paid".equals(text(invoice, "status")) && text(invoice, "id") != null
                && (subscription != null || ref(invoice, "subscription") != null)
                && ("subscription_create".equals(reason) || "subscription_cycle".equals(reason));
    }

    /** The end of the period the invoice pays for: its subscription line's period, else the invoice's. */
    private static Long periodEnd(JsonNode invoice) {
        Long lineEnd = longValue(invoice.path("lines").path("data").path(0).path("period"), "end");
        return lineEnd != null ? lineEnd : longValue(invoice, "period_end");
    }

    private static String firstLinePrice(JsonNode invoice) {
        JsonNode line = invoice.path("lines").path("data").path(0);
        String current = text(line.path("pricing").path("price_details"), "price");
        return current != null ? current : ref(line, "price");
    }

    /** Takes back the refunded share of the credits the payment bought (rounded down to favour nobody twice). */
    private Uni<Void> clawBack(SqlConnection tx, String paymentIntentId, String refundId, Long refunded) {
        if (paymentIntentId == null || refundId == null || refunded == null || refunded <= 0) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(SESSION_FOR_INTENT).execute(Tuple.of(paymentIntentId)).flatMap(sessions -> {
            if (sessions.rowCount() == 0) {
                return Uni.createFrom().voidItem(); // settled when the session arrives (grantPack)
            }
            Row session = sessions.iterator().next();
            return tx.preparedQuery(GRANTED).execute(Tuple.of(grantKey(session.getString("id")))).flatMap(granted -> {
                Long total = session.getLong("amount_total");
                if (granted.rowCount() == 0 || total == null || total <= 0) {
                    return Uni.createFrom().voidItem();
                }
                long back = clawBackCredits(granted.iterator().next().getLong("amount"), refunded, total);
                String account = PackPurchase.account(session.getString("client_reference_id"),
                        session.getString("metadata"));
                if (back <= 0 || account == null) {
                    return Uni.createFrom().voidItem();
                }
                return ledger.credit(tx, account, "refund", -back, "refund:" + refundId,
                        "Refund " + refundId + " of " + paymentIntentId).replaceWithVoid();
            });
        });
    }

    /**
     * The credits a refund takes back: the refunded share of what the payment paid, applied to the credits
     * it bought, rounded down (a refund of more than was paid takes back no more than was granted).
     */
    static long clawBackCredits(long granted, long refunded, long paid) {
        return Math.min(granted, Math.floorDiv(granted * Math.min(refunded, paid), paid));
    }

    static String grantKey(String sessionId) {
        return "checkout:" + sessionId;
    }
}
