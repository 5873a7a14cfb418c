package dev.tollgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;

/**
 * docs/CONFIGURATION.md against the configuration the service reads, so that the reference is neither
 * incomplete nor stale: every property of every {@code @ConfigMapping} interface in src/main/java and every
 * {@code tollgate.*} key of application.properties has a row, every environment variable application.properties
 * references has a row, every row names a property and a variable that exist, and a default written as one
 * {@code `value`} (or "none") is the default the service really has.
 */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("docs/CONFIGURATION.md");
    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path MAIN = Path.of("src/main/java");

    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix = \"([a-z.-]+)\"\\)");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z-]+>");

    /** Read by an extension straight from the environment, with no line in application.properties. */
    private static final Set<String> EXTENSION_PROPERTIES = Set.of("mp.jwt.verify.publickey.algorithm");

    /** Property name (map keys as {@code *}) → default, or null: every @ConfigMapping property. */
    private static final Map<String, String> MAPPED = new TreeMap<>();
    /** Key (profile stripped, map keys as in the file) → unprofiled value, else the %prod one. */
    private static final Map<String, String> FILE = new TreeMap<>();
    /** Environment variables application.properties references as ${VAR...}. */
    private static final Set<String> REFERENCED = new TreeSet<>();
    private static final List<Row> ROWS = new ArrayList<>();

    record Row(List<String> variables, List<String> properties, String defaultValue, String line) {
    }

    @BeforeAll
    static void read() throws Exception {
        try (Stream<Path> sources = Files.walk(MAIN)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = MAPPING.matcher(Files.readString(source));
                if (m.find()) {
                    String name = MAIN.relativize(source).toString().replace('/', '.').replaceFirst("\\.java$", "");
                    Map<String, ConfigMappingInterface.Property> properties = ConfigMappings
                            .getProperties(ConfigMappings.ConfigClass.configClass(Class.forName(name), m.group(1)));
                    properties.forEach((path, property) -> {
                        if (!path.endsWith("[*]")) { // a list's indexed form (secrets[0]) of a listed property
                            MAPPED.put(path, property.hasDefaultValue() ? property.getDefaultValue() : null);
                        }
                    });
                }
            }
        }
        assertTrue(MAPPED.size() > 50 && MAPPED.containsKey("tollgate.webhook.processor.batch-size"),
                "the @ConfigMapping interfaces were found: " + MAPPED.keySet());

        Map<String, String> prod = new LinkedHashMap<>();
        for (String line : Files.readAllLines(PROPERTIES)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String key = line.substring(0, line.indexOf('='));
            String value = line.substring(line.indexOf('=') + 1);
            Matcher reference = ENV_REFERENCE.matcher(value);
            while (reference.find()) {
                REFERENCED.add(reference.group(1));
            }
            if (key.startsWith("%prod.")) {
                prod.put(key.substring("%prod.".length()), value);
            } else if (key.startsWith("%")) {
                FILE.putIfAbsent(key.substring(key.indexOf('.') + 1), null);
            } else {
                FILE.put(key, value);
            }
        }
        prod.forEach((key, value) -> {
            if (FILE.get(key) == null) {
                FILE.put(key, value);
            }
        });

        for (String line : Files.readAllLines(DOC)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            assertTrue(cells.length >= 5, "a row is | variable | property | default | meaning |: " + line);
            ROWS.add(new Row(backticked(cells[1]), backticked(cells[2]), cells[3].trim(), line));
        }
        assertTrue(ROWS.size() > 50, "rows read from " + DOC + ": " + ROWS.size());
    }

    @Test
    void everyMappedPropertyHasARow() {
        Set<String> documented = documentedProperties();
        Set<String> missing = new TreeSet<>(MAPPED.keySet());
        missing.removeAll(documented);
        assertTrue(missing.isEmpty(), "@ConfigMapping properties missing from " + DOC + ": " + missing);
    }

    @Test
    void everyTollgatePropertyOfApplicationPropertiesHasARow() {
        Set<String> documented = documentedProperties();
        Set<String> missing = new TreeSet<>();
        for (String key : FILE.keySet()) {
            if (key.startsWith("tollgate.") && documented.stream().noneMatch(d -> matches(d, key))) {
                missing.add(key);
            }
        }
        assertTrue(missing.isEmpty(), "application.properties keys missing from " + DOC + ": " + missing);
    }

    @Test
    void everyReferencedVariableHasARow() {
        Set<String> documented = new TreeSet<>();
        ROWS.forEach(r -> documented.addAll(r.variables()));
        Set<String> missing = new TreeSet<>(REFERENCED);
        missing.removeAll(documented);
        assertTrue(missing.isEmpty(), "variables application.properties reads, missing from " + DOC + ": " + missing);
    }

    @Test
    void everyRowNamesAPropertyAndVariableThatExist() {
        List<String> stale = new ArrayList<>();
        for (Row row : ROWS) {
            if (row.properties().isEmpty()) {
                stale.add("no property: " + row.line());
            }
            for (String property : row.properties()) {
                String pattern = wildcard(property);
                boolean exists = MAPPED.containsKey(pattern) || EXTENSION_PROPERTIES.contains(property)
                        || FILE.keySet().stream().anyMatch(k -> matches(pattern, k));
                if (!exists) {
                    stale.add("unknown property " + property + ": " + row.line());
                }
            }
            for (String variable : row.variables()) {
                String name = variable.replaceAll("<[A-Z_]+>", "*");
                boolean read = REFERENCED.contains(variable)
                        || row.properties().stream().anyMatch(p -> environmentName(p).equals(name));
                if (!read) {
                    stale.add("variable " + variable + " is neither referenced in application.properties nor the "
                            + "environment form of " + row.properties() + ": " + row.line());
                }
            }
        }
        assertTrue(stale.isEmpty(), String.join("\n", stale));
    }

    @Test
    void documentedDefaultsAreTheRealOnes() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Row row : ROWS) {
            Matcher single = Pattern.compile("^`([^`]*)`$").matcher(row.defaultValue());
            boolean none = row.defaultValue().equals("none");
            if ((!single.matches() && !none) || row.properties().size() != 1) {
                continue; // prose: per profile, per plan, derived from another setting
            }
            String property = row.properties().get(0);
            String actual = effectiveDefault(property);
            String expected = none ? "" : single.group(1);
            checked++;
            if (!expected.equals(actual == null ? "" : actual)) {
                wrong.add(property + ": documented " + row.defaultValue() + ", actually \"" + actual + "\"");
            }
        }
        assertTrue(checked > 40, "defaults checked: " + checked);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void theExampleEnvironmentFileUsesDocumentedVariablesOnly() throws IOException {
        Set<String> documented = new TreeSet<>();
        ROWS.forEach(r -> documented.addAll(r.variables()));
        Set<String> unknown = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("deploy/tollgate.env.example"))) {
            Matcher m = Pattern.compile("^#? ?([A-Z][A-Z0-9_]*)=").matcher(line);
            if (m.find() && !documented.contains(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        assertTrue(unknown.isEmpty(), "deploy/tollgate.env.example sets variables " + DOC + " does not know: " + unknown);
    }

    @Test
    void aWildcardRowMatchesConcreteKeysOnly() {
        assertTrue(matches("tollgate.catalog.plans.*.monthly-price", "tollgate.catalog.plans.pro.monthly-price"));
        assertTrue(!matches("tollgate.catalog.plans.*.monthly-price", "tollgate.catalog.plans.pro.monthly-amount"));
        assertEquals("TOLLGATE_CATALOG_PLANS_*_NAME", environmentName("tollgate.catalog.plans.<plan>.name"));
    }

    /** The default production sees: application.properties (unprofiled, else %prod; ${VAR:default}), else @WithDefault. */
    private static String effectiveDefault(String property) {
        String value = FILE.get(property);
        if (value != null) {
            Matcher reference = ENV_REFERENCE.matcher(value);
            if (reference.matches()) {
                return reference.group(2) == null ? "" : reference.group(2);
            }
            return value;
        }
        return MAPPED.get(wildcard(property));
    }

    private static Set<String> documentedProperties() {
        Set<String> documented = new TreeSet<>();
        ROWS.forEach(r -> r.properties().forEach(p -> documented.add(wildcard(p))));
        return documented;
    }

    private static List<String> backticked(String cell) {
        List<String> names = new ArrayList<>();
        Matcher m = BACKTICKED.matcher(cell);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** tollgate.catalog.plans.&lt;plan&gt;.name → tollgate.catalog.plans.*.name, as ConfigMappings names map keys. */
    private static String wildcard(String property) {
        return PLACEHOLDER.matcher(property).replaceAll("*");
    }

    private static boolean matches(String pattern, String key) {
        return key.matches(Pattern.quote(pattern).replace("*", "\\E[^.]+\\Q"));
    }

    /** MicroProfile Config's environment form: non-alphanumerics to _, upper case (map keys stay *). */
    private static String environmentName(String property) {
        return wildcard(property).replaceAll("[^A-Za-z0-9*]", "_").toUpperCase();
    }
}
