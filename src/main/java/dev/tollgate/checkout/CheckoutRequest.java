package dev.tollgate.checkout;

/**
 * POST /v1/billing/checkout-sessions: either a plan and interval (a subscription) or a credit pack and
 * quantity (a one-time payment).
 *
 * @param trial false: no trial whatever the plan offers
 * @param trialDays a trial of this length, at most the plan's max-trial-days
 * @param seats for a per-seat plan: how many seats (min-seats..max-seats; default min-seats)
 * @param account only for service tokens: the account the checkout is for
 * @param email the email a new Stripe customer gets (else the user token's; a service token's never)
 * @param currency the currency to pay in (lower-case ISO code), when the plan or pack is offered in it
 */
public record CheckoutRequest(String plan, String interval, Boolean trial, Integer trialDays, String promotionCode,
        Boolean allowPromotionCodes, String pack, Integer quantity, String successUrl, String cancelUrl,
        String account, String email, Integer seats, String currency) {
}
