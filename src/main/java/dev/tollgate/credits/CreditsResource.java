package dev.tollgate.credits;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.account.Caller;
import dev.tollgate.account.Roles;
import dev.tollgate.common.Paging;
import dev.tollgate.common.Problem;
import dev.tollgate.common.ProblemException;
import io.smallrye.mutiny.Uni;

/** An account's credits: balance and history, and atomic, idempotent consumption. */
@Path("/v1/billing/credits")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Credits")
public class CreditsResource {

    static final long MAX_CONSUME = 1_000_000_000L;

    private final CreditQueries credits;
    private final ConsumptionQueue consumptions;
    private final Caller caller;

    private final Instance<OverageBilling> overage;
    private final CreditFreezes freezes;

    public CreditsResource(CreditQueries credits, ConsumptionQueue consumptions, Caller caller,
            Instance<OverageBilling> overage, CreditFreezes freezes) {
        this.freezes = freezes;
        this.credits = credits;
        this.consumptions = consumptions;
        this.caller = caller;
        this.overage = overage;
    }

    /** {@code expiring}: the part of the balance that lapses unless spent, soonest first. */
    public record CreditsPage(String account, long balance, List<CreditQueries.Expiring> expiring,
            List<LedgerEntry> items, long total) {
    }

    /**
     * @param account only for service tokens: the account to debit
     * @param idempotencyKey the caller's key; a repeat answers the first outcome and debits nothing
     * @param feature what the credits pay for; a plan's overage setting for it turns a short balance into usage
     */
    public record ConsumeRequest(Long amount, String reason, String idempotencyKey, String account, String feature) {
    }

    /**
     * @param consumed credits taken from the balance
     * @param overage the part the balance did not cover, recorded as metered usage (credits plus overage)
     * @param entryId the ledger entry; null when the balance was empty and all of it went into overage
     */
    public record ConsumeResult(String account, long consumed, long balance, boolean repeated, Long entryId,
            long overage) {
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @Operation(summary = "Credit balance and ledger, newest first")
    public Uni<CreditsPage> credits(@RestQuery String account, @RestQuery @DefaultValue("50") int limit,
            @RestQuery @DefaultValue("0") int offset) {
        Paging.check(limit, offset, 200);
        String accountId = caller.accountFor(account);
        return Uni.combine().all().unis(credits.balance(accountId), credits.expiring(accountId),
                credits.page(accountId, limit, offset), credits.count(accountId)).asTuple()
                .map(t -> new CreditsPage(accountId, t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4()));
    }

    @POST
    @Path("/consume")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @Operation(summary = "Consume credits atomically; 402 with the balance when there are not enough (unless the"
            + " plan bills the feature's overage as usage)")
    public Uni<ConsumeResult> consume(ConsumeRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("invalid-request", "A JSON body with amount and idempotency_key is required.");
        }
        if (request.amount() == null || request.amount() < 1 || request.amount() > MAX_CONSUME) {
            throw ProblemException.badRequest("invalid-amount", "amount must be a whole number from 1 to " + MAX_CONSUME + ".");
        }
        String key = request.idempotencyKey();
        if (key == null || key.isBlank() || key.length() > 255) {
            throw ProblemException.badRequest("invalid-idempotency-key",
                    "idempotency_key is required: 1 to 255 characters that identify this consumption.");
        }
        if (request.reason() != null && request.reason().length() > 500) {
            throw ProblemException.badRequest("invalid-reason", "reason must be at most 500 characters.");
        }
        if (request.feature() != null && (request.feature().isBlank() || request.feature().length() > 100)) {
            throw ProblemException.badRequest("invalid-feature", "feature must be 1 to 100 characters.");
        }
        String accountId = caller.accountFor(request.account());
        Uni<Optional<OverageBilling.Target>> target = request.feature() == null || !overage.isResolvable()
                ? Uni.createFrom().item(Optional.empty())
                : overage.get().target(accountId, request.feature());
        return freezes.frozenBy(accountId).flatMap(dispute -> {
            if (dispute.isPresent()) {
                throw new ProblemException(Problem.of(409, "credits-frozen", "Credits frozen",
                        "The account's credits are frozen while its payment is disputed (" + dispute.get()
                                + "); they can be used again once the dispute is closed."),
                        Map.of(), Map.of("dispute", dispute.get()));
            }
            return target;
        }).flatMap(t -> consumptions.consume(accountId, request.amount(),
                LedgerKeys.of("consume", accountId, key), request.reason(), t.orElse(null)))
                .map(consumed -> {
                    CreditLedger.Debit debit = consumed.debit();
                    if (!debit.accepted()) {
                        throw new ProblemException(Problem.of(402, "insufficient-credits", "Insufficient credits",
                                "The account has " + debit.balance() + " credits; " + request.amount()
                                        + " were requested."),
                                Map.of(), Map.of("balance", debit.balance(), "requested", request.amount()));
                    }
                    LedgerEntry entry = debit.entry();
                    return new ConsumeResult(accountId, entry == null ? 0 : -entry.amount(), debit.balance(),
                            debit.repeated(), entry == null ? null : entry.id(), consumed.overage());
                });
    }
}
