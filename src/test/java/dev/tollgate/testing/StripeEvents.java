package dev.tollgate.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.net.Webhook;

/** Stripe event envelopes (the fixture's "event" shape) and their signatures. */
public final class StripeEvents {

    /** The API version stripe-java 33.x pins; the fixture's event has none, real events always do. */
    public static final String API_VERSION = "2026-07-29.dahlia";
    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime());

    private StripeEvents() {
    }

    public static String newId(String prefix) {
        return prefix + "_" + Long.toString(SEQUENCE.incrementAndGet(), 36);
    }

    public static ObjectNode event(String type, JsonNode object, long created) {
        return event(newId("evt"), type, object, created, null);
    }

    public static ObjectNode event(String id, String type, JsonNode object, long created,
            JsonNode previousAttributes) {
        ObjectNode event = StripeFixtures.object("event");
        event.put("id", id);
        event.put("type", type);
        event.put("created", created);
        event.put("api_version", API_VERSION);
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        ObjectNode data = event.putObject("data");
        data.set("object", object);
        if (previousAttributes != null) {
            data.set("previous_attributes", previousAttributes);
        }
        return event;
    }

    public static String sign(String payload, String secret) {
        return sign(payload, secret, System.currentTimeMillis() / 1000);
    }

    /** Stripe's scheme over raw bytes, for bodies that are not text (stripe-java signs strings only). */
    public static String sign(byte[] payload, String secret) {
        long timestamp = System.currentTimeMillis() / 1000;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal(payload));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(String payload, String secret, long timestamp) {
        try {
            return Webhook.Signature.generateSignatureHeader(payload, secret, timestamp);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
