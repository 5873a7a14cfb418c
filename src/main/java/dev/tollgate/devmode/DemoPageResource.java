package dev.tollgate.devmode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.tollgate.common.ProblemException;
import dev.tollgate.config.ProductionRules;
import dev.tollgate.ratelimit.StripeBound;
import io.quarkus.arc.profile.UnlessBuildProfile;

/**
 * /billing/demo: the three billing components on one page, signed in as an account chosen on the page (a dev token),
 * buying from the Stripe simulator. Dev mode only, like {@link DevResource}.
 */
@Path("/billing/demo")
@PermitAll
@UnlessBuildProfile("prod")
public class DemoPageResource {

    private static final String PAGE = read();

    @GET
    @Produces(MediaType.TEXT_HTML)
    @StripeBound.NoStripeCall
    @Operation(hidden = true)
    public String page() {
        if (ProductionRules.apply()) {
            throw ProblemException.notFound("Nothing is served at /billing/demo.");
        }
        return PAGE;
    }

    private static String read() {
        try (InputStream in = DemoPageResource.class.getResourceAsStream("demo.html")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
