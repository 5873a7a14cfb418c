package dev.tollgate.webhook.ingress;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.tollgate.webhook.RejectReason;
import dev.tollgate.webhook.WebhookConfig;

/**
 * Checks the {@code Stripe-Signature} header: HMAC-SHA256 over {@code "{t}.{raw body}"}, compared in
 * constant time against every configured secret (rotation), within a tolerance both ways.
 *
 * <p>
 * Written against the raw bytes rather than through stripe-java's {@code Webhook.Signature}: that one
 * needs the body as a String, accepts timestamps from the future and reports every failure with
 * the same exception, while operators need to tell a stale replay from a wrong secret.
 */
@ApplicationScoped
public class SignatureVerifier {

    private final List<SecretKeySpec> keys;
    /** One initialised Mac per secret and thread: looking one up per request showed in the profile. */
    private final ThreadLocal<List<Mac>> macs;
    private final long toleranceSeconds;
    private final Clock clock;

    @Inject
    public SignatureVerifier(WebhookConfig config) {
        this(config.secrets().orElse(List.of()), config.tolerance().toSeconds(), Clock.systemUTC());
    }

    SignatureVerifier(List<String> secrets, long toleranceSeconds, Clock clock) {
        this.keys = secrets.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).toList();
        this.macs = ThreadLocal.withInitial(() -> keys.stream().map(SignatureVerifier::mac).toList());
        this.toleranceSeconds = toleranceSeconds;
        this.clock = clock;
    }

    public boolean configured() {
        return !keys.isEmpty();
    }

    /** Returns normally when the body was signed by one of the secrets; throws otherwise. */
    public void verify(byte[] body, String header) {
        if (header == null || header.isBlank()) {
            throw new SignatureRejectedException(RejectReason.MISSING_HEADER, "The Stripe-Signature header is missing.");
        }
        ParsedHeader parsed = parse(header);
        long now = clock.millis() / 1000;
        if (parsed.timestamp < now - toleranceSeconds) {
            throw new SignatureRejectedException(RejectReason.STALE_TIMESTAMP,
                    "The signature timestamp is more than " + toleranceSeconds + " s old.");
        }
        if (parsed.timestamp > now + toleranceSeconds) {
            throw new SignatureRejectedException(RejectReason.FUTURE_TIMESTAMP,
                    "The signature timestamp is more than " + toleranceSeconds + " s in the future.");
        }
        byte[] signedPrefix = (parsed.timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        for (Mac mac : macs.get()) {
            mac.update(signedPrefix);
            byte[] expected = mac.doFinal(body);
            for (byte[] candidate : parsed.signatures) {
                if (MessageDigest.isEqual(expected, candidate)) {
                    return;
                }
            }
        }
        throw new SignatureRejectedException(RejectReason.SIGNATURE_MISMATCH,
                "No v1 signature matches the body with any configured webhook secret.");
    }

    private static ParsedHeader parse(String header) {
        long timestamp = -1;
        List<byte[]> signatures = new ArrayList<>(2);
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (name.equals("t")) {
                timestamp = parseTimestamp(value);
            } else if (name.equals("v1")) {
                signatures.add(parseHex(value));
            }
        }
        if (timestamp < 0) {
            throw malformed("it has no t= timestamp");
        }
        if (signatures.isEmpty()) {
            throw malformed("it has no v1= signature");
        }
        return new ParsedHeader(timestamp, signatures);
    }

    private static long parseTimestamp(String value) {
        try {
            long t = Long.parseLong(value);
            if (t < 0) {
                throw malformed("its timestamp is negative");
            }
            return t;
        } catch (NumberFormatException e) {
            throw malformed("its timestamp is not a number");
        }
    }

    private static byte[] parseHex(String value) {
        if (value.length() != 64) {
            throw malformed("a v1 signature is not 64 hex digits");
        }
        try {
            return HexFormat.of().parseHex(value);
        } catch (IllegalArgumentException e) {
            throw malformed("a v1 signature is not hexadecimal");
        }
    }

    private static SignatureRejectedException malformed(String why) {
        return new SignatureRejectedException(RejectReason.MALFORMED_HEADER,
                "The Stripe-Signature header is malformed: " + why + ".");
    }

    private static Mac mac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private record ParsedHeader(long timestamp, List<byte[]> signatures) {
    }
}
