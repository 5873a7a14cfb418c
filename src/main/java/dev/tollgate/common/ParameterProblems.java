package dev.tollgate.common;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

/**
 * Says which query or path parameter could not be converted and what it must be. JAX-RS only hands over the
 * converter's exception ("For input string: \"abc\""), so the parameter is found by the value it carried.
 */
final class ParameterProblems {

    /** The value in a converter's message: For input string: "abc" / "abc" is not true or false. */
    private static final Pattern QUOTED = Pattern.compile("\"(.*)\"");

    private ParameterProblems() {
    }

    static String describe(IllegalArgumentException conversion, UriInfo uri) {
        String expected = conversion instanceof NumberFormatException ? "a whole number in range"
                : StrictBooleans.EXPECTED;
        String value = valueOf(conversion);
        String name = value == null || uri == null ? null : nameOf(value, uri);
        if (name == null) {
            return "A query or path parameter has the wrong type: it must be " + expected + ".";
        }
        return "The parameter " + name + " must be " + expected + "; \"" + abbreviate(value) + "\" is not.";
    }

    private static String valueOf(IllegalArgumentException conversion) {
        if (conversion.getMessage() == null) {
            return null;
        }
        Matcher matcher = QUOTED.matcher(conversion.getMessage());
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String nameOf(String value, UriInfo uri) {
        for (MultivaluedMap<String, String> parameters : List.of(uri.getQueryParameters(),
                uri.getPathParameters())) {
            for (Map.Entry<String, List<String>> entry : parameters.entrySet()) {
                if (entry.getValue() != null && entry.getValue().contains(value)) {
                    return entry.getKey();
                }
            }
        }
        return null;
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
