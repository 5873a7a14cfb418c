package dev.tollgate.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import dev.tollgate.account.Caller;
import dev.tollgate.account.Roles;
import dev.tollgate.common.ProblemException;
import dev.tollgate.ratelimit.StripeBound;
import io.smallrye.mutiny.Uni;

/**
 * Usage-based billing: usage is stored in PostgreSQL before it is answered, then delivered to Stripe as
 * meter events by {@link UsageSender}; Stripe being down delays delivery and loses nothing.
 */
@Path("/v1/billing/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Usage")
public class UsageResource {

    private final UsageService usage;
    private final UsageConfig config;
    private final Caller caller;

    public UsageResource(UsageService usage, UsageConfig config, Caller caller) {
        this.usage = usage;
        this.config = config;
        this.caller = caller;
    }

    /**
     * @param meter a meter of the account's plan
     * @param value how much was used, a whole number
     * @param idempotencyKey the caller's key: a repeat answers the stored record, another body with it is a 409
     * @param timestamp when it was used (Unix seconds); absent: now
     * @param account only for service tokens: the account that used it
     */
    public record UsageRequest(String meter, Long value, String idempotencyKey, Long timestamp, String account) {
    }

    /**
     * @param id the record's id, also the meter event's identifier in Stripe
     * @param status pending until Stripe accepted the meter event, then sent (failed: Stripe refused it)
     */
    public record UsageRecord(String id, String account, String meter, long value, long timestamp,
            OffsetDateTime recordedAt, String status, boolean repeated) {
    }

    public record MeterUsage(String meter, long total, long records) {
    }

    public record UsageSummary(String account, String plan, OffsetDateTime periodStart, OffsetDateTime periodEnd,
            List<MeterUsage> meters) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    // Only stores: the sender calls Stripe in the background, at its own pace, whatever the request rate.
    @StripeBound.NoStripeCall
    @Operation(summary = "Record usage of a meter once per idempotency key; answered once it is stored (201, a"
            + " repeat 200), delivered to Stripe afterwards")
    @APIResponse(responseCode = "201", description = "Stored; it will be delivered to Stripe")
    @APIResponse(responseCode = "200", description = "A repeat of a stored record: nothing new was recorded")
    @APIResponse(responseCode = "400", description = "Invalid body, unknown meter for the account's plan, timestamp in"
            + " the future or too old (application/problem+json)")
    @APIResponse(responseCode = "409", description = "The key was used with another body (application/problem+json)")
    public Uni<RestResponse<UsageRecord>> record(UsageRequest request) {
        UsageService.Usage valid = validate(request);
        String accountId = caller.accountFor(request.account());
        return usage.record(accountId, valid).map(written -> {
            UsageRecords.Stored stored = written.stored();
            UsageRecord body = new UsageRecord(stored.identifier(), stored.accountId(), stored.meter(), stored.value(),
                    stored.occurredAt().toEpochSecond(), stored.createdAt(), stored.status(), !written.created());
            return RestResponse.ResponseBuilder
                    .create(written.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK, body).build();
        });
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @StripeBound.NoStripeCall
    @Operation(summary = "The account's usage per meter in its subscription's current period, from Tollgate's records")
    @APIResponse(responseCode = "404", description = "The account has no subscription, so no period (application/problem+json)")
    public Uni<UsageSummary> usage(@RestQuery String meter, @RestQuery String account) {
        if (meter != null && (meter.isBlank() || meter.length() > 100)) {
            throw ProblemException.badRequest("invalid-meter", "meter must be 1 to 100 characters.");
        }
        String accountId = caller.accountFor(account);
        return usage.currentPeriod(accountId, meter).map(period -> new UsageSummary(accountId, period.planId(),
                period.start(), period.end(), period.meters().stream()
                        .map(m -> new MeterUsage(m.meter(), m.total(), m.records())).toList()));
    }

    private UsageService.Usage validate(UsageRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("invalid-request",
                    "A JSON body with meter, value and idempotency_key is required.");
        }
        if (request.meter() == null || request.meter().isBlank() || request.meter().length() > 100) {
            throw ProblemException.badRequest("invalid-meter", "meter is required: 1 to 100 characters.");
        }
        if (request.value() == null || request.value() < 1 || request.value() > config.maxValue()) {
            throw ProblemException.badRequest("invalid-value",
                    "value must be a whole number from 1 to " + config.maxValue() + ".");
        }
        String key = request.idempotencyKey();
        if (key == null || key.isBlank() || key.length() > 255) {
            throw ProblemException.badRequest("invalid-idempotency-key",
                    "idempotency_key is required: 1 to 255 characters that identify this usage.");
        }
        if (request.timestamp() != null) {
            Instant at = Instant.ofEpochSecond(Math.max(Math.min(request.timestamp(), 253402300799L), -62135596800L));
            Instant now = Instant.now();
            if (at.isAfter(now.plus(config.maxClockSkew()))) {
                throw ProblemException.badRequest("invalid-timestamp", "timestamp " + request.timestamp()
                        + " is in the future (now is " + now.getEpochSecond() + ", Unix seconds).");
            }
            if (at.isBefore(now.minus(config.maxAge()))) {
                throw ProblemException.badRequest("invalid-timestamp", "timestamp " + request.timestamp()
                        + " is older than " + days(config.maxAge()) + " days; Stripe refuses older meter events.");
            }
        }
        return new UsageService.Usage(request.meter(), request.value(), key, request.timestamp());
    }

    private static long days(Duration duration) {
        return duration.toDays();
    }
}
