package dev.tollgate.licenses;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.account.Caller;
import dev.tollgate.account.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The account's licenses. */
@Path("/v1/billing/licenses")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Licenses")
public class LicensesResource {

    private final Pool pool;
    private final Caller caller;

    public LicensesResource(Pool pool, Caller caller) {
        this.pool = pool;
        this.caller = caller;
    }

    public record License(String key, String plan, String status, String subscriptionId, OffsetDateTime expiresAt,
            OffsetDateTime createdAt) {
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @Operation(summary = "The account's licenses")
    public Uni<List<License>> licenses(@RestQuery String account) {
        return pool.preparedQuery("select key, plan, status, subscription_id, expires_at, created_at from license"
                + " where account_id = $1 order by created_at desc").execute(Tuple.of(caller.accountFor(account)))
                .map(rows -> {
                    List<License> result = new ArrayList<>();
                    for (Row row : rows) {
                        result.add(new License(row.getString("key"), row.getString("plan"), row.getString("status"),
                                row.getString("subscription_id"), row.getOffsetDateTime("expires_at"),
                                row.getOffsetDateTime("created_at")));
                    }
                    return result;
                });
    }
}
