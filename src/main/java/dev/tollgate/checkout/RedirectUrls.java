package dev.tollgate.checkout;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.common.ProblemException;

/** Checks redirect URLs against the configured origins; falls back to the configured default. */
@ApplicationScoped
public class RedirectUrls {

    private final Set<String> origins;

    public RedirectUrls(CheckoutConfig config) {
        this.origins = config.allowedOrigins().orElse(List.of()).stream().map(RedirectUrls::normalize)
                .collect(Collectors.toSet());
    }

    /** The URL to use for {@code field}: the requested one if allowed, else the default; 400 otherwise. */
    public String check(String field, String requested, Optional<String> fallback) {
        String url = requested != null && !requested.isBlank() ? requested : fallback.orElse(null);
        if (url == null) {
            throw ProblemException.badRequest("redirect-url-required",
                    field + " is required (no default is configured).");
        }
        URI uri;
        try {
            // Stripe fills {CHECKOUT_SESSION_ID} in; braces are not legal in a URI, so parse without it.
            uri = new URI(url.replace("{CHECKOUT_SESSION_ID}", "cs"));
        } catch (URISyntaxException e) {
            throw ProblemException.badRequest("redirect-url-invalid", field + " is not a valid URL.");
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || !origins.contains(origin(uri))) {
            throw ProblemException.badRequest("redirect-url-not-allowed",
                    field + " must start with one of the allowed origins: "
                            + String.join(", ", origins.stream().sorted().toList()) + ".");
        }
        return url;
    }

    private static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static String normalize(String origin) {
        try {
            return origin(new URI(origin.trim()));
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("tollgate.checkout.allowed-origins has an invalid origin: " + origin, e);
        }
    }
}
