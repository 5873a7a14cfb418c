package dev.tollgate.live;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

import dev.tollgate.account.Caller;
import dev.tollgate.account.Roles;
import io.smallrye.mutiny.Multi;

/**
 * Server-Sent Events for one account: an event whenever its subscription, credits or licenses change
 * (after a webhook, a checkout confirmation or a consumption), so a page refreshes without polling. A
 * heartbeat (every 15 s by default) keeps proxies from closing an idle stream. The stream ends with a
 * "token-expired" event when the caller's token expires: the client reconnects with a fresh token. Streams
 * are capped per account and per instance (tollgate.live.*); beyond the caps the answer is 429.
 */
@Path("/v1/billing/stream")
@Tag(name = "Live updates")
public class LiveResource {

    private final LiveStreams streams;
    private final Caller caller;
    private final JsonWebToken token;

    public LiveResource(LiveStreams streams, Caller caller, JsonWebToken token) {
        this.streams = streams;
        this.caller = caller;
        this.token = token;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @Operation(summary = "Live changes of the account's subscription, credits and licenses")
    public Multi<AccountChanges.Change> stream(@RestQuery String account) {
        String accountId = caller.accountFor(account);
        // Reserved here, before the response starts, so that a refusal can still be a 429.
        LiveStreams.Stream stream = streams.open(accountId, expiry());
        return Multi.createFrom().<AccountChanges.Change> emitter(stream::attach, LiveStreams.BUFFER);
    }

    private Instant expiry() {
        long exp = token.getExpirationTime();
        return exp > 0 ? Instant.ofEpochSecond(exp) : null;
    }
}
