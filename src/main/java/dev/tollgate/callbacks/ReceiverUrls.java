package dev.tollgate.callbacks;

import java.net.URI;

/**
 * Callback receiver URLs as they may be shown (errors, logs, the admin API): a receiver URL may carry a
 * token in its query, fragment or user info, which is a credential of the product's backend.
 */
public final class ReceiverUrls {

    private ReceiverUrls() {
    }

    /** Scheme, host, port and path only. */
    public static String redacted(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return "(invalid URL)";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (IllegalArgumentException e) {
            return "(invalid URL)";
        }
    }
}
