package dev.tollgate.admin.callbacks;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.account.Roles;
import dev.tollgate.callbacks.CallbackBody;
import dev.tollgate.callbacks.CallbackLoop;
import dev.tollgate.callbacks.CallbackOutbox;
import dev.tollgate.callbacks.ReceiverUrls;
import dev.tollgate.common.Paging;
import dev.tollgate.common.ProblemException;
import io.smallrye.mutiny.Uni;

/** The operator's view of callbacks to the product: list them (the dead letters first of all) and redeliver. */
@Path("/v1/admin/callbacks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Admin")
public class AdminCallbacksResource {

    private static final Set<String> STATUSES = Set.of("pending", "delivered", "dead");
    private static final int MAX_LIMIT = 200;

    private final CallbackOutbox outbox;
    private final CallbackBody bodies;
    private final CallbackLoop loop;

    public AdminCallbacksResource(CallbackOutbox outbox, CallbackBody bodies, CallbackLoop loop) {
        this.outbox = outbox;
        this.bodies = bodies;
        this.loop = loop;
    }

    /** {@code deliveredUrls} are redacted like the URLs in errors: they may carry the receiver's credentials. */
    public record Callback(String id, String type, String accountId, String status, int attempts,
            OffsetDateTime createdAt, OffsetDateTime nextAttemptAt, OffsetDateTime deliveredAt, String lastError,
            List<String> deliveredUrls, JsonNode data) {
    }

    public record Page(List<Callback> items, long total) {
    }

    public record Redelivery(String id, String status) {
    }

    @GET
    @Operation(summary = "List callbacks, newest first, by status (pending, delivered, dead), type and account")
    public Uni<Page> list(@RestQuery String status, @RestQuery String type, @RestQuery String account,
            @RestQuery @DefaultValue("50") int limit, @RestQuery @DefaultValue("0") int offset) {
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.badRequest("invalid-parameter",
                    "status must be one of " + String.join(", ", STATUSES.stream().sorted().toList()) + ".");
        }
        Paging.check(limit, offset, MAX_LIMIT);
        CallbackOutbox.Filter filter = new CallbackOutbox.Filter(status, type, account);
        return Uni.combine().all().unis(outbox.list(filter, limit, offset), outbox.count(filter)).asTuple()
                .map(t -> new Page(t.getItem1().stream().map(this::view).toList(), t.getItem2()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One callback with its data, attempts and last error")
    public Uni<Callback> show(@RestPath String id) {
        return outbox.find(id).map(found -> found.map(this::view)
                .orElseThrow(() -> ProblemException.notFound("No callback " + id + ".")));
    }

    @POST
    @Path("/{id}/redeliver")
    @Operation(summary = "Deliver a callback again (a dead one after its receiver is fixed) with a fresh attempt budget")
    public Uni<Redelivery> redeliver(@RestPath String id) {
        return outbox.redeliver(id).map(found -> {
            if (!found) {
                throw ProblemException.notFound("No callback " + id + ".");
            }
            loop.wake();
            return new Redelivery(id, "pending");
        });
    }

    private Callback view(CallbackOutbox.Stored stored) {
        return new Callback(stored.id(), stored.type(), stored.accountId(), stored.status(), stored.attempts(),
                stored.createdAt(), stored.nextAttemptAt(), stored.deliveredAt(), stored.lastError(),
                stored.deliveredUrls().stream().map(ReceiverUrls::redacted).toList(),
                bodies.data(stored.type(), stored.data()));
    }
}
