package dev.tollgate.admin.subscriptions;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.account.Roles;
import dev.tollgate.common.ProblemException;
import io.smallrye.mutiny.Uni;

/** The subscription status check: counts, renewals due, past_due accounts and a dry-run grace expiry. */
@Path("/v1/admin/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Admin")
public class AdminSubscriptionsResource {

    private static final int MAX_DAYS = 366;
    private static final int MAX_LIMIT = 1000;

    private final SubscriptionReportService reports;

    public AdminSubscriptionsResource(SubscriptionReportService reports) {
        this.reports = reports;
    }

    @GET
    @Path("/report")
    @Operation(summary = "Counts by status and plan, renewals due in the next `days`, past_due accounts since when,"
            + " and which past_due accounts' grace period has run out (a dry run: nothing is changed)")
    public Uni<SubscriptionReport> report(@RestQuery @DefaultValue("7") int days,
            @RestQuery @DefaultValue("200") int limit) {
        if (days < 1 || days > MAX_DAYS) {
            throw ProblemException.badRequest("invalid-parameter", "days must be between 1 and " + MAX_DAYS + ".");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("invalid-parameter", "limit must be between 1 and " + MAX_LIMIT + ".");
        }
        return reports.report(days, limit);
    }
}
