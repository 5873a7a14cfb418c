package dev.tollgate.admin.catalog;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.account.Roles;
import dev.tollgate.ratelimit.StripeBound;
import io.smallrye.mutiny.Uni;

/** Syncs the configured plans and packs to Stripe products and prices. */
@Path("/v1/admin/catalog")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Admin")
public class AdminCatalogResource {

    private final CatalogSync sync;

    public AdminCatalogResource(CatalogSync sync) {
        this.sync = sync;
    }

    @POST
    @Path("/sync")
    @StripeBound(StripeBound.Scope.OPERATOR)
    @Operation(summary = "Find each configured plan interval and pack in Stripe (by price id, then lookup_key) and"
            + " create the missing products and prices; never deletes or changes existing ones. dry_run=true"
            + " (the default) only reports what it would create")
    public Uni<CatalogSyncReport> sync(@RestQuery("dry_run") @DefaultValue("true") boolean dryRun) {
        return sync.sync(dryRun);
    }
}
