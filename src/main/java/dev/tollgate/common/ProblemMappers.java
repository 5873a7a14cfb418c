package dev.tollgate.common;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every failure that reaches the HTTP layer into application/problem+json, so that no
 * client ever has to parse an HTML or empty error page.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Object body = e.problem();
        if (!e.extensions().isEmpty()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("type", e.problem().type());
            document.put("title", e.problem().title());
            document.put("status", e.problem().status());
            document.put("detail", e.problem().detail());
            document.putAll(e.extensions());
            body = document;
        }
        Response.ResponseBuilder builder = Response.status(e.problem().status()).type(Problem.MEDIA_TYPE)
                .entity(body);
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer")
                .entity(Problem.of(401, "unauthorized", "Unauthorized",
                        "A valid bearer token is required: send Authorization: Bearer <token>."))
                .build();
    }

    /** Says why (expired, not yet valid, signature, issuer, audience, unknown key), logs it once, never the token. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        TokenRejection rejection = TokenRejection.of(e);
        LOG.infof("Bearer token rejected: %s", rejection.code());
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", rejection.challenge())
                .entity(Problem.of(401, "unauthorized", "Unauthorized", rejection.detail())).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "forbidden", "Forbidden", "This token may not perform this operation."));
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return respond(Problem.of(400, "malformed-json", "Bad request", JsonProblems.describe(e)));
    }

    // Quarkus REST ships its own mapper for this one (a body naming the Java class and field types); the
    // mapper of the closest exception type wins, so it is claimed here. Its subclasses (InvalidFormatException)
    // follow it.
    @ServerExceptionMapper
    public Response badValue(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, Request request) {
        int status = e.getResponse().getStatus();
        // JAX-RS answers 404 when a query or path parameter cannot be converted (limit=abc): the
        // resource exists, the request is wrong, so say so.
        if (status == 404 && e.getCause() instanceof IllegalArgumentException conversion) {
            return respond(Problem.of(400, "invalid-parameter", "Bad request",
                    ParameterProblems.describe(conversion, uri)));
        }
        // The JSON reader wraps some parser failures (a number out of range) in a bare 400.
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        if (status == 415) {
            return respond(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "Send Content-Type: application/json: the request body must be JSON."));
        }
        if (status == 405) {
            String allow = e.getResponse().getHeaderString("Allow");
            Response.ResponseBuilder builder = Response.status(405).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(405, "method-not-allowed", "Method not allowed",
                            request.getMethod() + " is not allowed on /" + uri.getPath().replaceFirst("^/", "")
                                    + (allow == null || allow.isBlank() ? "; the OpenAPI document lists its methods."
                                            : "; use " + allow + ".")));
            if (allow != null) {
                builder.header("Allow", allow);
            }
            return builder.build();
        }
        if (status == 406) {
            return respond(Problem.of(406, "not-acceptable", "Not acceptable",
                    "This endpoint answers application/json (errors application/problem+json): send Accept:"
                            + " application/json, or no Accept header."));
        }
        if (status == 404) {
            return respond(Problem.of(404, "not-found", "Not found",
                    "Nothing is served at /" + uri.getPath().replaceFirst("^/", "") + "."));
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : "Error";
        return respond(Problem.of(status, slug(title), title, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unexpected failure while handling a request", e);
        return respond(Problem.of(500, "internal-error", "Internal error",
                "The request could not be completed; it is safe to retry."));
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    }
}
