package dev.tollgate.licenses;

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

/** The account's licenses. */
@Path("/v1/billing/licenses")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Licenses")
public class LicensesResource {

    private final LicenseQueries licenses;
    private final Caller caller;

    public LicensesResource(LicenseQueries licenses, Caller caller) {
        this.licenses = licenses;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @Operation(summary = "The account's licenses")
    public Uni<List<LicenseQueries.License>> licenses(@RestQuery String account) {
        return licenses.ofAccount(caller.accountFor(account));
    }
}
