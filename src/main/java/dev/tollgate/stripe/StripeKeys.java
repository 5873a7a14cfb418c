package dev.tollgate.stripe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Idempotency keys sent to Stripe. Joining an account id and a client key with a separator is
 * ambiguous (account "a" with key "b-x" and account "a-b" with key "x" give the same key) and can
 * exceed Stripe's 255-character limit, so the parts are length-prefixed and hashed: every key is the
 * purpose plus 43 characters, whatever the parts are, and distinct parts never share a key.
 */
public final class StripeKeys {

    private StripeKeys() {
    }

    /** {@code purpose}-SHA-256(len(part1):part1 len(part2):part2 ...), base64url without padding. */
    public static String of(String purpose, String... parts) {
        StringBuilder encoded = new StringBuilder(purpose.length() + 64);
        encoded.append(purpose.length()).append(':').append(purpose);
        for (String part : parts) {
            String value = part == null ? "" : part;
            // null and "" are different requests: mark absence explicitly.
            encoded.append(part == null ? "-1" : Integer.toString(value.length())).append(':').append(value);
        }
        return purpose + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(encoded.toString()));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
