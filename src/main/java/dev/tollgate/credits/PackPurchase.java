package dev.tollgate.credits;

import static dev.tollgate.common.Json.ref;
import static dev.tollgate.common.Json.text;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.catalog.CatalogConfig;

/**
 * A paid Checkout Session for a credit pack, read from the session's metadata (set when Tollgate
 * created it: account_id, pack, quantity).
 */
record PackPurchase(String sessionId, String accountId, String packId, long quantity, long credits,
        String paymentIntentId, OffsetDateTime expiresAt) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Optional<PackPurchase> of(JsonNode session, CatalogConfig catalog) {
        if (!"payment".equals(text(session, "mode")) || !"paid".equals(text(session, "payment_status"))) {
            return Optional.empty();
        }
        JsonNode metadata = session.path("metadata");
        String packId = text(metadata, "pack");
        CatalogConfig.Pack pack = packId == null ? null : catalog.packs().get(packId);
        String account = account(text(session, "client_reference_id"), metadata);
        if (pack == null || account == null) {
            return Optional.empty();
        }
        long quantity = quantity(text(metadata, "quantity"));
        // Counted from the grant: whichever of webhook and confirmation comes first grants, once.
        OffsetDateTime expiresAt = pack.expiresAfter().map(after -> OffsetDateTime.now(ZoneOffset.UTC).plus(after))
                .orElse(null);
        return Optional.of(new PackPurchase(text(session, "id"), account, packId, quantity, pack.credits() * quantity,
                ref(session, "payment_intent"), expiresAt));
    }

    /** metadata.account_id wins; client_reference_id is the fallback (both are set by Tollgate). */
    static String account(String clientReferenceId, JsonNode metadata) {
        String fromMetadata = text(metadata, "account_id");
        return fromMetadata != null ? fromMetadata : clientReferenceId;
    }

    static String account(String clientReferenceId, String metadataJson) {
        if (metadataJson == null) {
            return clientReferenceId;
        }
        try {
            return account(clientReferenceId, MAPPER.readTree(metadataJson));
        } catch (IOException e) {
            return clientReferenceId;
        }
    }

    private static long quantity(String value) {
        try {
            long quantity = value == null ? 1 : Long.parseLong(value);
            return quantity > 0 && quantity <= 1000 ? quantity : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
