package dev.tollgate.callbacks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Tollgate-Signature} header, Stripe's scheme exactly: {@code t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>">}, one {@code v1} per secret, so Stripe-style verification code works as is.
 */
public final class CallbackSigner {

    public static final String HEADER = "Tollgate-Signature";

    private CallbackSigner() {
    }

    public static String header(long timestamp, String body, List<String> secrets) {
        StringBuilder header = new StringBuilder("t=").append(timestamp);
        String signed = timestamp + "." + body;
        for (String secret : secrets) {
            header.append(",v1=").append(hmac(secret, signed));
        }
        return header.toString();
    }

    static String hmac(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
