package dev.tollgate.common;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Says what is wrong with a request body in the client's terms: the field (as the client spelled it) and
 * the type it must have. Jackson's own messages name Java types and classes ("Cannot deserialize value of
 * type `java.lang.Long`..."), which mean nothing to a client and tell an attacker what runs inside.
 */
final class JsonProblems {

    private JsonProblems() {
    }

    static String describe(JsonProcessingException e) {
        JsonProcessingException parser = parserFailure(e);
        if (parser instanceof StreamConstraintsException) {
            return "The request body is not acceptable JSON: it is nested too deeply or has a value that is too long.";
        }
        if (parser instanceof InputCoercionException coercion) {
            String field = e instanceof JsonMappingException mapping && !path(mapping).isEmpty() ? path(mapping)
                    : fieldOf(coercion);
            return "The request body has a number out of range" + at(field) + ": " + expected(
                    coercion.getTargetType()) + " is expected.";
        }
        if (parser != e) {
            return "The request body is not valid JSON" + location(parser.getLocation()) + ": " + syntax(parser) + ".";
        }
        if (e instanceof JsonMappingException mapping) {
            String field = path(mapping);
            if (field.isEmpty()) {
                if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                        && e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("No content")) {
                    return "The request body is empty; a JSON object is required.";
                }
                return "The request body must be a JSON object.";
            }
            if (mapping instanceof InvalidFormatException format && format.getTargetType() == String.class
                    && format.getOriginalMessage() != null
                    && format.getOriginalMessage().contains(StorableStrings.REASON)) {
                return "\"" + field + "\" " + StorableStrings.REASON + ".";
            }
            Class<?> target = mapping instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
            return target == null
                    ? "\"" + field + "\" has a value that is not accepted."
                    : "\"" + field + "\" must be " + expected(target) + ".";
        }
        return "The request body is not valid JSON" + location(e.getLocation()) + ": " + syntax(e) + ".";
    }

    /**
     * The parser's failure behind a mapping failure: deserializers wrap what the parser throws (a number out
     * of range, a key given twice) only to add the field path, and the parser's failure is what to explain.
     */
    private static JsonProcessingException parserFailure(JsonProcessingException e) {
        if (e instanceof JsonMappingException && e.getCause() instanceof JsonProcessingException cause
                && !(cause instanceof JsonMappingException)) {
            return cause;
        }
        return e;
    }

    /** The JSON path of the failure as the client wrote it: plan, items[0].price. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String fieldOf(InputCoercionException e) {
        JsonParser parser = e.getProcessor();
        return parser == null || parser.getParsingContext() == null ? null
                : parser.getParsingContext().getCurrentName();
    }

    private static String at(String field) {
        return field == null ? "" : " in \"" + field + "\"";
    }

    static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Short.class || type == short.class) {
            return "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class || type == BigInteger.class) {
            return "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of the documented values";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || !type.isPrimitive()) {
            return "a JSON object";
        }
        return "a value of another type";
    }

    /**
     * The parser's own words when they are about the JSON text (unexpected character, invalid UTF-8,
     * duplicate field); anything that mentions its internals becomes a plain statement.
     */
    private static String syntax(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null || message.isBlank() || message.contains("java.") || message.contains("com.fasterxml")
                || message.contains("`") || message.contains("Exception") || message.length() > 300) {
            return "it could not be parsed";
        }
        // Keep the first sentence: later ones are hints for Java programmers.
        int newline = message.indexOf('\n');
        String first = newline < 0 ? message : message.substring(0, newline);
        return first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
    }

    private static String location(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
