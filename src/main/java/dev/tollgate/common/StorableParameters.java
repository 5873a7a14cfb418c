package dev.tollgate.common;

import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses path and query parameters with a NUL character (%00): PostgreSQL cannot take one in a text value
 * and answers an error, which would otherwise surface as a 500. No identifier or filter of Tollgate's
 * contains one, so the request is wrong, not the server.
 */
public class StorableParameters {

    @ServerRequestFilter
    public Response refuseNul(ContainerRequestContext request) {
        String name = firstWithNul(request.getUriInfo().getPathParameters());
        String where = "path";
        if (name == null) {
            name = firstWithNul(request.getUriInfo().getQueryParameters());
            where = "query";
        }
        if (name == null) {
            return null;
        }
        return ProblemMappers.respond(Problem.of(400, "invalid-parameter", "Bad request",
                "The " + where + " parameter " + name + " contains a NUL character (%00)."));
    }

    private static String firstWithNul(MultivaluedMap<String, String> parameters) {
        for (var entry : parameters.entrySet()) {
            for (String value : entry.getValue() == null ? List.<String> of() : entry.getValue()) {
                if (value != null && value.indexOf('\0') >= 0) {
                    return entry.getKey();
                }
            }
        }
        return null;
    }
}
