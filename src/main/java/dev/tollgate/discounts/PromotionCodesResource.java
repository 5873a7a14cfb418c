package dev.tollgate.discounts;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tollgate.account.Roles;
import dev.tollgate.common.Json;
import dev.tollgate.common.Problem;
import dev.tollgate.common.ProblemException;
import dev.tollgate.ratelimit.StripeBound;
import io.smallrye.mutiny.Uni;

/**
 * Lets a pricing page check a code before it sends the customer to Checkout, and show what it takes off.
 * It reads Stripe (the code is Stripe's), so it is rate limited like every Stripe-bound endpoint.
 */
@Path("/v1/billing/promotion-codes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Checkout")
public class PromotionCodesResource {

    /** What the coupon takes off, as Stripe defines it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Discount(String name, Double percentOff, Long amountOff, String currency, String duration,
            Integer durationInMonths) {
    }

    public record Restrictions(boolean firstTimeTransaction, Long minimumAmount, String minimumAmountCurrency,
            List<String> products) {
    }

    /** The price asked about, and one payment of it with the code. */
    public record PriceWithCode(String id, long amount, String currency, long amountOff, long amountDue) {
    }

    /**
     * @param applies whether the code can be used on the price asked about (or at all, when none was)
     * @param reason why not, when it cannot
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Validation(String code, String id, boolean applies, String reason, Discount discount,
            Restrictions restrictions, OffsetDateTime expiresAt, PriceWithCode price) {
    }

    private final PromotionCodes codes;
    private final SoldPrice prices;

    public PromotionCodesResource(PromotionCodes codes, SoldPrice prices) {
        this.codes = codes;
        this.prices = prices;
    }

    @GET
    @Path("/{code}")
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Check a promotion code (as the customer types it) for a plan or pack, and what it takes off")
    public Uni<Validation> validate(@RestPath String code, @RestQuery String plan, @RestQuery String interval,
            @RestQuery String pack, @RestQuery Integer quantity) {
        Uni<Optional<SoldPrice.Price>> price = prices.of(plan, interval, pack, quantity);
        return price.flatMap(p -> codes.usable(code).map(found -> validation(found, p))
                .onFailure(ProblemException.class).recoverWithUni(e -> notUsable(e, code, p)));
    }

    /** An unknown code is a 404; a known one that cannot be used now is an answer with its reason. */
    private Uni<Validation> notUsable(ProblemException e, String code, Optional<SoldPrice.Price> price) {
        Problem problem = e.problem();
        if (problem.type().endsWith("/unknown-promotion-code")) {
            return Uni.createFrom().failure(new ProblemException(404, "unknown-promotion-code", "Not found",
                    problem.detail()));
        }
        if (problem.type().endsWith("/promotion-code-unusable")) {
            return Uni.createFrom().item(new Validation(code, null, false, problem.detail(), null, null, null, null));
        }
        return Uni.createFrom().failure(e);
    }

    private static Validation validation(PromotionCode code, Optional<SoldPrice.Price> price) {
        String reason = price.map(p -> code.inapplicableReason(p.product(), p.amount(), p.currency())).orElse(null);
        PriceWithCode withCode = price.map(p -> {
            long off = reason == null ? code.discountOn(p.amount()) : 0;
            return new PriceWithCode(p.id(), p.amount(), p.currency(), off, p.amount() - off);
        }).orElse(null);
        return new Validation(code.code(), code.id(), reason == null,
                reason == null ? null : "The promotion code \"" + code.code() + "\" " + reason + ".",
                new Discount(code.couponName(), code.percentOff(), code.amountOff(), code.currency(), code.duration(),
                        code.durationInMonths()),
                new Restrictions(code.firstTimeTransaction(), code.minimumAmount(), code.minimumAmountCurrency(),
                        code.products()),
                code.expiresAt() == null ? null : Json.epoch(code.expiresAt()), withCode);
    }
}
