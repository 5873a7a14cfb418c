package dev.tollgate.discounts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.common.ProblemException;
import dev.tollgate.stripe.StripeApi;
import io.smallrye.mutiny.Uni;

/**
 * Finds a promotion code the way a customer gives it. Customers type codes ("SUMMER20"), while Checkout
 * and subscriptions take the promotion code's id: Stripe has no retrieve-by-code, so the code is found
 * through the promotion-code list filtered by code (case-insensitive, active only), as Stripe's API
 * reference advises. A {@code promo_...} id is accepted too and retrieved directly.
 */
@ApplicationScoped
public class PromotionCodes {

    /** Stripe allows codes of letters, digits and a few separators; a longer or odder one cannot exist. */
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_\\-]{1,100}");
    private static final Pattern ID = Pattern.compile("promo_[A-Za-z0-9]{1,250}");

    private final StripeApi stripe;

    public PromotionCodes(StripeApi stripe) {
        this.stripe = stripe;
    }

    /**
     * The promotion code a customer typed (or its id), usable now; a 400 problem naming the code when there
     * is none, or when it is inactive, expired or its coupon can no longer be redeemed.
     */
    public Uni<PromotionCode> usable(String given) {
        return find(given).map(found -> {
            String reason = found.unusableReason(System.currentTimeMillis() / 1000);
            if (reason != null) {
                throw ProblemException.badRequest("promotion-code-unusable",
                        "The promotion code \"" + found.code() + "\" " + reason + ".");
            }
            return found;
        });
    }

    private Uni<PromotionCode> find(String given) {
        String code = given == null ? "" : given.trim();
        if (ID.matcher(code).matches()) {
            return stripe.get("promotion_codes.retrieve", "/v1/promotion_codes/" + code + "?expand%5B%5D=promotion.coupon")
                    .map(PromotionCode::of)
                    .onFailure(ProblemException.class).transform(e -> unknownIf404(e, code));
        }
        if (!CODE.matcher(code).matches()) {
            return Uni.createFrom().failure(unknown(code));
        }
        // active=true: an inactive code of the same name may exist next to the live one (codes are unique
        // only among active ones).
        String query = "?code=" + URLEncoder.encode(code, StandardCharsets.UTF_8)
                + "&active=true&limit=1&expand%5B%5D=data.promotion.coupon";
        return stripe.get("promotion_codes.list", "/v1/promotion_codes" + query).map(page -> {
            JsonNode first = page.path("data").path(0);
            if (first.isMissingNode()) {
                throw unknown(code);
            }
            return PromotionCode.of(first);
        });
    }

    private static Throwable unknownIf404(ProblemException e, String code) {
        return e.problem().status() == 404 ? unknown(code) : e;
    }

    private static ProblemException unknown(String code) {
        String shown = code.length() > 100 ? code.substring(0, 100) + "..." : code;
        return ProblemException.badRequest("unknown-promotion-code",
                "There is no active promotion code \"" + shown + "\": check the spelling (codes are not case-sensitive).");
    }
}
