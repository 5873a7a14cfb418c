package dev.tollgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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

/**
 * The layout README describes ("Layout"), checked on the sources: the package dependency graph has no
 * cycle, the webhook stages and the mirror depend only downwards, and /v1/admin lives under admin.
 * Read from the source files (imports and @Path), so it runs in milliseconds without a Quarkus boot.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final String ROOT = "dev.tollgate";
    private static final Pattern IMPORT = Pattern.compile("^import (static )?(dev\\.tollgate\\.[\\w.]+);",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern ADMIN_PATH = Pattern.compile("@Path\\(\"/v1/admin");

    /** Package (relative to dev.tollgate) to the packages its classes import. */
    private static final Map<String, Set<String>> DEPENDENCIES = new TreeMap<>();
    /** Each source file and its text, for annotation checks. */
    private static final Map<Path, String> SOURCES = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(ArchitectureTest::read);
        }
        assertTrue(DEPENDENCIES.size() > 20, "the sources were not found: " + DEPENDENCIES.keySet());
    }

    private static void read(Path file) {
        String source;
        try {
            source = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SOURCES.put(file, source);
        Matcher declared = PACKAGE.matcher(source);
        assertTrue(declared.find(), "no package declaration in " + file);
        String pkg = relative(declared.group(1));
        Set<String> imports = DEPENDENCIES.computeIfAbsent(pkg, p -> new TreeSet<>());
        Matcher imported = IMPORT.matcher(source);
        while (imported.find()) {
            String target = packageOf(imported.group(2), imported.group(1) != null);
            if (!target.equals(pkg)) {
                imports.add(target);
            }
        }
    }

    /** The package of an imported class (or of a static member's class): the lower-case leading names. */
    private static String packageOf(String imported, boolean isStatic) {
        List<String> names = new ArrayList<>(List.of(imported.split("\\.")));
        if (isStatic) {
            names.remove(names.size() - 1);
        }
        List<String> pkg = names.stream().takeWhile(n -> Character.isLowerCase(n.charAt(0))).toList();
        return relative(String.join(".", pkg));
    }

    private static String relative(String pkg) {
        return pkg.equals(ROOT) ? "" : pkg.substring(ROOT.length() + 1);
    }

    @Test
    void noPackageCycle() {
        List<List<String>> cycles = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String pkg : DEPENDENCIES.keySet()) {
            findCycle(pkg, new ArrayList<>(), done, cycles);
        }
        assertEquals(List.of(), cycles, "package cycles (each ends where it started)");
    }

    private static void findCycle(String pkg, List<String> path, Set<String> done, List<List<String>> cycles) {
        int at = path.indexOf(pkg);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(pkg);
            cycles.add(cycle);
            return;
        }
        if (done.contains(pkg)) {
            return;
        }
        path.add(pkg);
        for (String next : DEPENDENCIES.getOrDefault(pkg, Set.of())) {
            findCycle(next, path, done, cycles);
        }
        path.remove(path.size() - 1);
        done.add(pkg);
    }

    @Test
    void onlyTheRouteKnowsTheIngressStage() {
        assertEquals(Set.of(), importersOf("webhook.ingress"), "packages that import webhook.ingress");
    }

    @Test
    void webhookStagesDependOnlyDownwards() {
        assertTrue(DEPENDENCIES.containsKey("webhook.processing"));
        assertEquals(Set.of(), intersection(DEPENDENCIES.get("webhook.processing"), "webhook.inbox", "webhook.ingress"),
                "processing must not depend on earlier stages");
        assertEquals(Set.of(), intersection(DEPENDENCIES.get("webhook.inbox"), "webhook.ingress"),
                "the inbox must not depend on ingress");
        assertEquals(Set.of(), intersection(DEPENDENCIES.get("webhook"), "webhook.ingress", "webhook.inbox",
                "webhook.processing"), "what the stages share must not depend on a stage");
    }

    @Test
    void theMirrorDependsOnNoFeatureAndNoStage() {
        Set<String> allowed = Set.of("common", "stripe");
        Set<String> unexpected = new TreeSet<>(DEPENDENCIES.get("mirror"));
        unexpected.removeAll(allowed);
        assertEquals(Set.of(), unexpected, "mirror may use only " + allowed);
    }

    @Test
    void everyAdminResourceLivesUnderAdmin() {
        List<Path> outside = SOURCES.entrySet().stream()
                .filter(e -> ADMIN_PATH.matcher(e.getValue()).find())
                .map(Map.Entry::getKey)
                .filter(file -> !file.startsWith(MAIN.resolve("dev/tollgate/admin")))
                .toList();
        assertEquals(List.of(), outside, "/v1/admin resources outside dev.tollgate.admin");
        assertTrue(SOURCES.keySet().stream().filter(f -> ADMIN_PATH.matcher(SOURCES.get(f)).find()).count() >= 7,
                "the admin resources were not found");
    }

    @Test
    void nothingOutsideAdminDependsOnAdmin() {
        Set<String> importers = new TreeSet<>();
        for (String admin : DEPENDENCIES.keySet().stream().filter(p -> p.startsWith("admin")).toList()) {
            importers.addAll(importersOf(admin));
        }
        importers.removeIf(p -> p.startsWith("admin"));
        assertEquals(Set.of(), importers, "packages outside admin that import admin");
    }

    private static Set<String> importersOf(String target) {
        Set<String> importers = new TreeSet<>();
        DEPENDENCIES.forEach((pkg, imports) -> {
            if (imports.contains(target) && !pkg.equals(target)) {
                importers.add(pkg);
            }
        });
        return importers;
    }

    private static Set<String> intersection(Set<String> imports, String... packages) {
        Set<String> found = new TreeSet<>(imports == null ? Set.of() : imports);
        found.retainAll(Set.of(packages));
        return found;
    }
}
