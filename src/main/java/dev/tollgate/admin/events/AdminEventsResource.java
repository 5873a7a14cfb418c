package dev.tollgate.admin.events;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
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
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.account.Roles;
import dev.tollgate.common.Paging;
import dev.tollgate.common.ProblemException;
import dev.tollgate.webhook.inbox.InboxQueries;
import dev.tollgate.webhook.inbox.InboxReplayer;
import io.smallrye.mutiny.Uni;

/** The operator's view of the webhook inbox: list, inspect and replay events. */
@Path("/v1/admin/events")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Admin")
public class AdminEventsResource {

    private static final Set<String> STATUSES = Set.of("pending", "applied", "ignored", "failed");
    private static final int MAX_LIMIT = 200;

    private final InboxQueries queries;
    private final InboxReplayer replayer;
    private final ObjectMapper mapper;

    public AdminEventsResource(InboxQueries queries, InboxReplayer replayer, ObjectMapper mapper) {
        this.queries = queries;
        this.replayer = replayer;
        this.mapper = mapper;
    }

    /** An event with its stored payload. */
    public record EventDetail(InboxQueries.Summary event, JsonNode payload) {
    }

    @GET
    @Operation(summary = "List inbox events, newest first, by status, type and receive time")
    public Uni<InboxQueries.Page> list(@RestQuery String status, @RestQuery String type, @RestQuery String from,
            @RestQuery String to, @RestQuery @DefaultValue("50") int limit, @RestQuery @DefaultValue("0") int offset) {
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.badRequest("invalid-parameter",
                    "status must be one of " + String.join(", ", STATUSES.stream().sorted().toList()) + ".");
        }
        Paging.check(limit, offset, MAX_LIMIT);
        InboxQueries.Filter filter = new InboxQueries.Filter(status, type, time("from", from), time("to", to));
        return queries.list(filter, limit, offset);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One inbox event with its payload and last error")
    public Uni<EventDetail> show(@RestPath String id) {
        return queries.find(id).map(found -> found
                .map(detail -> new EventDetail(detail.summary(), parse(detail.payload())))
                .orElseThrow(() -> ProblemException.notFound("No event " + id + " is in the inbox.")));
    }

    @POST
    @Path("/{id}/replay")
    @Operation(summary = "Queue one event to be applied again (after the cause of its failure was fixed)")
    public Uni<Map<String, Object>> replay(@RestPath String id) {
        return replayer.replay(id).flatMap(queued -> queued
                ? Uni.createFrom().item(Map.<String, Object> of("id", id, "status", "pending"))
                : queries.find(id).map(found -> {
                    if (found.isEmpty()) {
                        throw ProblemException.notFound("No event " + id + " is in the inbox.");
                    }
                    throw ProblemException.conflict("event-already-pending",
                            "Event " + id + " is already waiting to be applied.");
                }));
    }

    @POST
    @Path("/replay-failed")
    @Operation(summary = "Queue every parked (failed) event to be applied again")
    public Uni<Map<String, Object>> replayFailed() {
        return replayer.replayFailed().map(count -> Map.of("replayed", count));
    }

    private static OffsetDateTime time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("invalid-parameter",
                    name + " must be an ISO-8601 date-time with offset, like 2026-11-22T10:00:00Z.");
        }
    }

    private JsonNode parse(String payload) {
        try {
            return mapper.readTree(payload);
        } catch (IOException e) {
            // Only verified JSON is ever stored; this would mean the row was edited by hand.
            throw new IllegalStateException("A stored event payload is not JSON", e);
        }
    }
}
