package dev.tollgate.common;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;

/**
 * Strings from request bodies that PostgreSQL and Stripe can take: JSON can carry a NUL character (\u0000)
 * and unpaired surrogates (\ud800), which a PostgreSQL text value refuses with an error (a 500) and which no
 * legitimate client sends. They are refused as the client's mistake, naming the field.
 */
final class StorableStrings extends StringDeserializer {

    private static final long serialVersionUID = 1L;

    /** What {@link JsonProblems} says about a refused string. */
    static final String REASON = "contains a NUL character or an unpaired surrogate";

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String value = super.deserialize(parser, context);
        if (value != null && !storable(value)) {
            throw context.weirdStringException(value, String.class, REASON);
        }
        return value;
    }

    static boolean storable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
