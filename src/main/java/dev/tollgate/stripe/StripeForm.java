package dev.tollgate.stripe;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A form-encoded Stripe request body ({@code line_items[0][price]=...}), built in order. */
public final class StripeForm {

    private final StringBuilder body = new StringBuilder();

    public StripeForm add(String key, Object value) {
        if (value == null) {
            return this;
        }
        if (body.length() > 0) {
            body.append('&');
        }
        body.append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
        return this;
    }

    @Override
    public String toString() {
        return body.toString();
    }
}
