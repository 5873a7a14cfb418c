package dev.tollgate.common;

import jakarta.inject.Singleton;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The JSON mapper of the REST API: the application's mapper, but strict about what clients send. A key
 * given twice is refused (two parsers along the way could each pick another value), and values are not
 * coerced between types ("5" is not a number, 5 is not a string, 1.5 is not a whole number), so a wrong
 * type is a 400 that names the field instead of a silently different request. Strings PostgreSQL cannot
 * store are refused too ({@link StorableStrings}).
 *
 * <p>
 * Only the REST resources use it: the webhook and the processor parse Stripe's payloads with the
 * application's mapper, where duplicate detection would cost time on the hot path for nothing.
 */
@Provider
@Singleton
public class RequestJson implements ContextResolver<ObjectMapper> {

    private final ObjectMapper strict;

    // ObjectMapper.disable(MapperFeature) is deprecated in favour of JsonMapper.builder(), but a builder cannot
    // start from a copy of the application's mapper, whose Quarkus configuration (naming, modules) must be kept.
    @SuppressWarnings("deprecation")
    public RequestJson(ObjectMapper mapper) {
        ObjectMapper copy = mapper.copy();
        // Without these, 5 and true would silently become the strings "5" and "true".
        copy.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        this.strict = copy
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .registerModule(new SimpleModule("storable-strings").addDeserializer(String.class,
                        new StorableStrings()));
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return strict;
    }
}
