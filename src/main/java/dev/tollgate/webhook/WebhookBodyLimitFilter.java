package dev.tollgate.webhook;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.tollgate.common.Problem;

/**
 * Refuses an oversized webhook from its Content-Length, before a byte of the body is read. Bodies
 * without a length are bounded by quarkus.http.limits.max-body-size while they stream in, and by
 * the resource afterwards.
 */
public class WebhookBodyLimitFilter {

    private final WebhookConfig config;
    private final WebhookMetrics metrics;

    public WebhookBodyLimitFilter(WebhookConfig config, WebhookMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @ServerRequestFilter(preMatching = true)
    public Response limitBody(ContainerRequestContext request) {
        if (!StripeWebhookResource.PATH.equals(request.getUriInfo().getPath())) {
            return null;
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return null;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return null; // Vert.x itself refuses a garbled Content-Length
        }
        if (declared <= config.maxBodySize()) {
            return null;
        }
        metrics.rejected(RejectReason.BODY_TOO_LARGE);
        Problem problem = Problem.of(413, "webhook-body-too-large", "Payload too large",
                "The body is " + declared + " bytes; at most " + config.maxBodySize() + " are accepted.");
        return Response.status(413).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
