package dev.tollgate.reconciliation;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.mirror.MirrorSpec;
import dev.tollgate.mirror.MirrorSpecs;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Which mirrored columns of a subscription differ from what its mirror row would hold if Stripe's
 * current answer were written now. Comparing the typed columns (status, cancellation, trial, period,
 * price, quantity, metadata) rather than the raw JSON ignores fields Tollgate does not mirror, which
 * change all the time without mattering.
 */
final class SubscriptionDifference {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SubscriptionDifference() {
    }

    static List<String> fields(JsonNode stripeAnswer, Row local) {
        List<String> differing = new ArrayList<>();
        for (MirrorSpec.Column column : MirrorSpecs.SUBSCRIPTION.columns()) {
            Object expected = normalize(column.value().apply(stripeAnswer));
            Object actual = normalize(local.getValue(column.name()));
            if (!Objects.equals(expected, actual)) {
                differing.add(column.name());
            }
        }
        return differing;
    }

    private static Object normalize(Object value) {
        if (value instanceof OffsetDateTime time) {
            return time.toEpochSecond();
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String text && text.startsWith("{")) {
            try {
                return MAPPER.readTree(text); // metadata: the same object whatever its key order
            } catch (IOException e) {
                return text;
            }
        }
        return value;
    }
}
