package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * docs/METRICS.md against the code and the alert rules: every meter src/main/java registers (a
 * {@code "tollgate."} name in a class using Micrometer) is documented under its Prometheus name, every
 * documented {@code tollgate_*} name is registered, and every alert of the PrometheusRule is listed.
 */
class MetricsDocTest {

    private static final Path DOC = Path.of("docs/METRICS.md");
    private static final Pattern METER_NAME = Pattern.compile("\"(tollgate\\.[a-z0-9.]+[a-z0-9])\"");
    private static final Pattern DOCUMENTED = Pattern.compile("`(tollgate_[a-z0-9_]+)[`{]");
    /** What Micrometer's Prometheus naming appends: counters, timers, base units. */
    private static final List<String> SUFFIXES = List.of("", "_total", "_seconds", "_bytes");

    @Test
    void everyRegisteredMetricIsDocumentedAndEveryDocumentedOneRegistered() throws IOException {
        Set<String> registered = registeredMeterNames();
        assertTrue(registered.size() > 25 && registered.contains("tollgate_webhook_events_received"),
                "meter names found in src/main/java: " + registered);
        Set<String> documented = new TreeSet<>();
        Matcher m = DOCUMENTED.matcher(Files.readString(DOC));
        while (m.find()) {
            documented.add(m.group(1));
        }

        Set<String> undocumented = new TreeSet<>();
        for (String name : registered) {
            if (SUFFIXES.stream().noneMatch(suffix -> documented.contains(name + suffix))) {
                undocumented.add(name);
            }
        }
        assertTrue(undocumented.isEmpty(), "registered in src/main/java, missing from " + DOC + ": " + undocumented);

        Set<String> unknown = new TreeSet<>();
        for (String name : documented) {
            if (SUFFIXES.stream().noneMatch(suffix -> name.endsWith(suffix)
                    && registered.contains(name.substring(0, name.length() - suffix.length())))) {
                unknown.add(name);
            }
        }
        assertTrue(unknown.isEmpty(), "documented in " + DOC + " but registered nowhere: " + unknown);
    }

    @Test
    void everyAlertIsDocumented() throws IOException {
        String doc = Files.readString(DOC);
        JsonNode rule = Kustomization.read(Path.of("k8s/components/monitoring/prometheusrule.yaml")).get(0);
        Set<String> missing = new TreeSet<>();
        List<String> alerts = rule.path("spec").path("groups").findValues("rules").stream()
                .flatMap(rules -> Stream.of(rules).flatMap(r -> r.findValuesAsText("alert").stream())).toList();
        assertTrue(alerts.size() > 10, alerts.toString());
        for (String alert : alerts) {
            if (!doc.contains("`" + alert + "`")) {
                missing.add(alert);
            }
        }
        assertTrue(missing.isEmpty(), "alerts missing from " + DOC + ": " + missing);
    }

    /** Prometheus base names (dots to underscores) of the "tollgate.*" literals in classes that use Micrometer. */
    private static Set<String> registeredMeterNames() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                if (!text.contains("import io.micrometer.")) {
                    continue;
                }
                Matcher m = METER_NAME.matcher(text);
                while (m.find()) {
                    names.add(m.group(1).replace('.', '_'));
                }
            }
        }
        return names;
    }
}
