package dev.tollgate.catalog;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * Names the environment variable a price setting reads, so that a message can say what to set: the variable
 * of its {@code ${STRIPE_PRICE_...:}} expression in application.properties, else the conventional name.
 */
final class PriceSettings {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)");

    private PriceSettings() {
    }

    static String variable(String property, String fallback) {
        String raw = raw(property);
        if (raw != null) {
            Matcher matcher = VARIABLE.matcher(raw);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return fallback;
    }

    /** Whether the property is written down at all (its variable may still be unset). */
    static boolean declared(String property) {
        return raw(property) != null;
    }

    static String upper(String id) {
        return id.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static String raw(String property) {
        ConfigValue value = ConfigProvider.getConfig().getConfigValue(property);
        return value == null ? null : value.getRawValue();
    }
}
