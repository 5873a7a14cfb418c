package dev.tollgate.admin.endpoint;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

import dev.tollgate.common.ProblemException;

/** The URL Stripe is to deliver events to: https, or http on this machine for development. */
final class WebhookUrl {

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final int MAX_LENGTH = 2048;

    private WebhookUrl() {
    }

    /** The URL as given when it is acceptable; a 400 problem otherwise. */
    static String check(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_LENGTH) {
            throw invalid("url is required (at most " + MAX_LENGTH + " characters).");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("url is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || uri.getUserInfo() != null || uri.getFragment() != null) {
            throw invalid("url must be an absolute URL with a host and no credentials or fragment.");
        }
        boolean secure = scheme.equals("https");
        boolean localDev = scheme.equals("http") && LOCAL_HOSTS.contains(host);
        if (!secure && !localDev) {
            throw invalid("url must use https (plain http only for localhost, in development).");
        }
        return url;
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.badRequest("invalid-url", detail);
    }
}
