package dev.tollgate.pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.tollgate.ratelimit.StripeBound;

/**
 * The billing components a product's frontend drops in (README "Billing pages"): one ES module, public (it holds
 * no secret: the page's own auth supplies tokens), revalidated by its ETag (the content's hash) so that a new
 * Tollgate version reaches browsers within the max-age. A page on another origin loads it in CORS mode: that origin
 * must be in TOLLGATE_CORS_ORIGINS, as it must be anyway for the API calls the components make.
 */
@Path("/billing/tollgate.js")
@PermitAll
public class BillingScriptResource {

    static final String CACHE_CONTROL = "public, max-age=300, must-revalidate";
    private static final byte[] SCRIPT = read("billing/tollgate.js");
    private static final EntityTag ETAG = new EntityTag(sha256(SCRIPT));

    @GET
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public Response script(@jakarta.ws.rs.core.Context Request request) {
        Response.ResponseBuilder notModified = request.evaluatePreconditions(ETAG);
        Response.ResponseBuilder answer = notModified != null ? notModified
                : Response.ok(SCRIPT, "text/javascript; charset=utf-8");
        return answer.tag(ETAG).header("Cache-Control", CACHE_CONTROL).header("X-Content-Type-Options", "nosniff")
                .build();
    }

    static byte[] read(String resource) {
        try (InputStream in = BillingScriptResource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
