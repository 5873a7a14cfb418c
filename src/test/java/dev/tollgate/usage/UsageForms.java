package dev.tollgate.usage;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** A form-encoded request to the Stripe stub, decoded to its parameters, to compare with exactly what Stripe expects. */
public final class UsageForms {

    private UsageForms() {
    }

    public static Map<String, String> decode(LoggedRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return params;
    }
}
