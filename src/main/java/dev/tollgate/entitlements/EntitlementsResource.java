package dev.tollgate.entitlements;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.account.Caller;
import dev.tollgate.account.Roles;
import dev.tollgate.common.ProblemException;
import io.smallrye.mutiny.Uni;

/** "May this account use feature F, and how much of it?" Service tokens ask for any account (?account=). */
@Path("/v1/billing/entitlements")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
@Tag(name = "Entitlements")
public class EntitlementsResource {

    private final EntitlementsService entitlements;
    private final Caller caller;

    public EntitlementsResource(EntitlementsService entitlements, Caller caller) {
        this.entitlements = entitlements;
        this.caller = caller;
    }

    /** One feature: a boolean gate (limit null) or a numeric limit (allowed when above zero). */
    public record FeatureAnswer(String account, String feature, boolean allowed, Long limit, String plan) {
    }

    @GET
    @Operation(summary = "Plan, features, limits, credit balance and subscription status")
    public Uni<Entitlements> all(@RestQuery String account) {
        return entitlements.forAccount(caller.accountFor(account));
    }

    @GET
    @Path("/{feature}")
    @Operation(summary = "Whether one feature is allowed, and its limit")
    public Uni<FeatureAnswer> feature(@RestPath String feature, @RestQuery String account) {
        return entitlements.forAccount(caller.accountFor(account)).map(e -> {
            if (e.features().containsKey(feature)) {
                return new FeatureAnswer(e.account(), feature, e.features().get(feature), null, e.plan());
            }
            if (e.limits().containsKey(feature)) {
                long limit = e.limits().get(feature);
                return new FeatureAnswer(e.account(), feature, limit > 0, limit, e.plan());
            }
            throw new ProblemException(404, "unknown-feature", "Not found",
                    "No plan defines a feature or limit called \"" + feature + "\".");
        });
    }
}
