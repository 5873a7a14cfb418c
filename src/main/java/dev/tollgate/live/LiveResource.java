package dev.tollgate.live;

import java.time.Duration;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

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
 * heartbeat every 15 s keeps proxies from closing an idle stream.
 */
@Path("/v1/billing/stream")
@Tag(name = "Live updates")
public class LiveResource {

    private final AccountChanges changes;
    private final Caller caller;

    public LiveResource(AccountChanges changes, Caller caller) {
        this.changes = changes;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @Operation(summary = "Live changes of the account's subscription, credits and licenses")
    public Multi<AccountChanges.Change> stream(@RestQuery String account) {
        String accountId = caller.accountFor(account);
        Multi<AccountChanges.Change> heartbeat = Multi.createFrom().ticks().every(Duration.ofSeconds(15))
                .map(tick -> new AccountChanges.Change(accountId, "heartbeat"));
        return Multi.createBy().merging().streams(changes.of(accountId), heartbeat);
    }
}
