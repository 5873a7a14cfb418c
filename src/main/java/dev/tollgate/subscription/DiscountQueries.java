package dev.tollgate.subscription;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The mirrored discounts (stripe_discount) of a subscription and of its customer. */
@ApplicationScoped
public class DiscountQueries {

    /**
     * The subscription's own discount wins over the customer's (Stripe applies a customer's discount only to
     * subscriptions without one); among equals the newest. Ended discounts are left out.
     */
    private static final String ACTIVE = "select id, promotion_code_id, promotion_code, coupon_id, coupon_name,"
            + " percent_off, amount_off, currency, duration, duration_in_months, start_at, end_at, subscription_id"
            + " from stripe_discount where not deleted and (end_at is null or end_at > now())"
            + " and (subscription_id = $1 or (subscription_id is null and customer_id = $2))"
            + " order by subscription_id is null, start_at desc nulls last, id limit 1";

    /**
     * A discount as GET /v1/billing/subscription shows it. The coupon's terms are null when Stripe sent the
     * coupon unexpanded (a discount added in the Dashboard); {@code coupon} always names it.
     *
     * @param code the promotion code the customer typed, when the discount came from one
     * @param appliesTo "subscription" or "customer" (a customer's discount covers its subscriptions)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Discount(String id, String code, String promotionCode, String coupon, String name, Double percentOff,
            Long amountOff, String currency, String duration, Integer durationInMonths, OffsetDateTime start,
            OffsetDateTime end, String appliesTo) {
    }

    private final Pool pool;
    private final ObjectMapper mapper;

    public DiscountQueries(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    public Uni<Optional<Discount>> active(String subscriptionId, String customerId) {
        return pool.preparedQuery(ACTIVE).execute(Tuple.of(subscriptionId, customerId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
    }

    /** The subscription's own discounts as last stored (Stripe's JSON), to mark those Stripe no longer lists. */
    public Uni<List<JsonNode>> storedOf(String subscriptionId) {
        return pool.preparedQuery("select raw from stripe_discount where subscription_id = $1 and not deleted")
                .execute(Tuple.of(subscriptionId)).map(rows -> {
                    List<JsonNode> result = new ArrayList<>();
                    for (Row row : rows) {
                        try {
                            result.add(mapper.readTree(row.getString("raw")));
                        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                            throw new IllegalStateException("A stored discount is not JSON", e);
                        }
                    }
                    return result;
                });
    }

    private static Discount map(Row row) {
        return new Discount(row.getString("id"), row.getString("promotion_code"), row.getString("promotion_code_id"),
                row.getString("coupon_id"), row.getString("coupon_name"), row.getDouble("percent_off"),
                row.getLong("amount_off"), row.getString("currency"), row.getString("duration"),
                row.getInteger("duration_in_months"), row.getOffsetDateTime("start_at"),
                row.getOffsetDateTime("end_at"), row.getString("subscription_id") == null ? "customer" : "subscription");
    }
}
