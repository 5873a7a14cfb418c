package dev.tollgate.licenses;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.account.Roles;
import dev.tollgate.common.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Other backends check a license key. */
@Path("/v1/licenses/validate")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Licenses")
public class LicenseValidationResource {

    private final Pool pool;
    private final LicenseQueries licenses;

    public LicenseValidationResource(Pool pool, LicenseQueries licenses) {
        this.pool = pool;
        this.licenses = licenses;
    }

    public record ValidateRequest(String key) {
    }

    /** @param seats the seats the license covers (a per-seat plan's subscription quantity), or null */
    public record Validation(boolean valid, String account, String plan, String status, OffsetDateTime expires,
            Long seats) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Whether a license key is valid now, for which account and plan")
    public Uni<Validation> validate(ValidateRequest request) {
        if (request == null || request.key() == null || request.key().isBlank() || request.key().length() > 100) {
            throw ProblemException.badRequest("invalid-key", "key is required.");
        }
        return pool.preparedQuery("select l.account_id, l.plan, l.status, l.expires_at, s.quantity from license l"
                + " left join stripe_subscription s on s.id = l.subscription_id where l.key = $1")
                .execute(Tuple.of(request.key())).map(rows -> {
                    if (rows.rowCount() == 0) {
                        return new Validation(false, null, null, "unknown", null, null);
                    }
                    Row row = rows.iterator().next();
                    OffsetDateTime expires = row.getOffsetDateTime("expires_at");
                    String status = row.getString("status");
                    // The expiry is the paid period's end; one day of slack covers a renewal whose webhook is late.
                    boolean inTime = expires == null || expires.plusDays(1).isAfter(OffsetDateTime.now(ZoneOffset.UTC));
                    boolean valid = !"revoked".equals(status) && inTime;
                    String plan = row.getString("plan");
                    return new Validation(valid, row.getString("account_id"), plan, status, expires,
                            licenses.seats(plan, row.getLong("quantity")));
                });
    }
}
