package dev.tollgate.admin.accounts;

import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.account.Roles;
import dev.tollgate.common.Paging;
import dev.tollgate.common.Problem;
import dev.tollgate.common.ProblemException;
import dev.tollgate.credits.CreditLedger;
import dev.tollgate.credits.LedgerKeys;
import io.smallrye.mutiny.Uni;

/** The operator's view of one account, and manual credit adjustments audited in the ledger. */
@Path("/v1/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Admin")
public class AdminAccountsResource {

    static final long MAX_ADJUSTMENT = 1_000_000_000L;
    private static final int MAX_LIMIT = 100;

    private final AccountStateService state;
    private final CreditLedger ledger;
    private final JsonWebToken jwt;

    public AdminAccountsResource(AccountStateService state, CreditLedger ledger, JsonWebToken jwt) {
        this.state = state;
        this.ledger = ledger;
        this.jwt = jwt;
    }

    /**
     * @param amount positive grants, negative debits
     * @param idempotency_key optional; a repeat answers the first adjustment and changes nothing
     */
    public record AdjustmentRequest(Long amount, String reason, String idempotencyKey) {
    }

    public record AdjustmentResult(String account, long entryId, String kind, long amount, long balance,
            String reason, String actor, boolean repeated) {
    }

    @GET
    @Path("/{accountId}")
    @Operation(summary = "The account's full billing state: customer, subscriptions, invoices, payments, credits,"
            + " entitlements, licenses and recent inbox events")
    public Uni<AccountBillingState> account(@RestPath String accountId, @RestQuery @DefaultValue("20") int limit) {
        Paging.check(limit, 0, MAX_LIMIT);
        return state.state(accountId, limit);
    }

    @POST
    @Path("/{accountId}/credits")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Grant (positive amount) or debit (negative) credits by hand, with a reason; the ledger"
            + " records the operator. A debit beyond the balance is refused with 409")
    @APIResponse(responseCode = "200", description = "Adjusted (or the first result of a repeated idempotency_key)")
    @APIResponse(responseCode = "404", description = "No such account (application/problem+json)")
    @APIResponse(responseCode = "409", description = "Debit beyond the balance; the problem carries balance and"
            + " requested, nothing was changed")
    public Uni<AdjustmentResult> adjust(@RestPath String accountId, AdjustmentRequest request) {
        validate(request);
        String actor = actor();
        String key = request.idempotencyKey() == null ? UUID.randomUUID().toString() : request.idempotencyKey();
        String reason = request.reason().strip();
        return state.requireKnown(accountId)
                .flatMap(x -> ledger.adjust(accountId, request.amount(), LedgerKeys.of("adjustment", accountId, key),
                        reason, actor))
                .map(result -> {
                    if (!result.accepted()) {
                        throw new ProblemException(Problem.of(409, "insufficient-credits", "Conflict",
                                "The account has " + result.balance() + " credits; a debit of "
                                        + -request.amount() + " would make the balance negative."),
                                Map.of(), Map.of("balance", result.balance(), "requested", -request.amount()));
                    }
                    return new AdjustmentResult(accountId, result.entry().id(), result.entry().kind(),
                            result.entry().amount(), result.balance(), result.entry().reason(),
                            result.actor(), result.repeated());
                });
    }

    private static void validate(AdjustmentRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("invalid-request", "A JSON body with amount and reason is required.");
        }
        if (request.amount() == null || request.amount() == 0 || Math.abs(request.amount()) > MAX_ADJUSTMENT) {
            throw ProblemException.badRequest("invalid-amount",
                    "amount must be a non-zero whole number from -" + MAX_ADJUSTMENT + " to " + MAX_ADJUSTMENT + ".");
        }
        if (request.reason() == null || request.reason().isBlank() || request.reason().length() > 500) {
            throw ProblemException.badRequest("invalid-reason",
                    "reason is required (at most 500 characters): it is the audit trail of the adjustment.");
        }
        String key = request.idempotencyKey();
        if (key != null && (key.isBlank() || key.length() > 255)) {
            throw ProblemException.badRequest("invalid-idempotency-key",
                    "idempotency_key, when given, must be 1 to 255 characters.");
        }
    }

    /** The operator as the ledger records them: the token's subject (its name when there is none). */
    private String actor() {
        String subject = jwt.getSubject();
        return subject != null && !subject.isBlank() ? subject : jwt.getName();
    }
}
