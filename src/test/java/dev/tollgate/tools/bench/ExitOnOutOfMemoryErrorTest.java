package dev.tollgate.tools.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * An OutOfMemoryError ends the process in every documented way of running Tollgate (dev mode excepted), so
 * an orchestrator restarts it: a JVM that survives one was seen wedged for minutes (issue 10).
 */
class ExitOnOutOfMemoryErrorTest {

    private static final String FLAG = "-XX:+ExitOnOutOfMemoryError";

    @Test
    void jvmImageRunsWithTheFlag() throws IOException {
        String javaOpts = lines("src/main/docker/Dockerfile.jvm").stream().filter(l -> l.startsWith("ENV JAVA_OPTS="))
                .findFirst().orElseThrow();
        assertTrue(javaOpts.contains(FLAG), javaOpts);
        assertTrue(BenchmarkRunner.CONTAINER_JVM_OPTS.contains(FLAG), "the benchmark runs as the image does");
    }

    @Test
    void nativeImagesRunWithTheFlag() throws IOException {
        for (String dockerfile : List.of("src/main/docker/Dockerfile.native", "src/main/docker/Dockerfile.native-micro")) {
            String entrypoint = lines(dockerfile).stream().filter(l -> l.startsWith("ENTRYPOINT")).findFirst()
                    .orElseThrow();
            assertTrue(entrypoint.contains("\"" + FLAG + "\""), dockerfile + ": " + entrypoint);
        }
    }

    /** Every `java ... -jar` or native `-runner` command line the README shows for running the service. */
    @Test
    void readmeCommandsRunWithTheFlag() throws IOException {
        Pattern runsTheService = Pattern.compile("\\bjava\\b.*quarkus-run\\.jar|target/\\S*-runner\\b");
        List<String> commands = lines("README.md").stream().filter(l -> runsTheService.matcher(l).find())
                .filter(l -> !l.contains("docker build") && !l.contains("COPY")).toList();
        assertFalse(commands.isEmpty(), "the README shows how to run the packaged jar");
        commands.forEach(command -> assertTrue(command.contains(FLAG), "README: " + command));
    }

    /**
     * The Kubernetes manifests run the images' entrypoints unchanged: no container command or args, and no
     * JAVA_OPTS (which replaces the image's flags) unless it keeps the flag.
     */
    @Test
    void kubernetesManifestsKeepTheImagesFlags() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.matches("\\s*-?\\s*name:\\s*\"?JAVA_(OPTS|OPTS_APPEND|TOOL_OPTIONS)\"?\\s*")) {
                        String value = i + 1 < lines.size() ? lines.get(i + 1) : "";
                        assertTrue(value.contains(FLAG) || line.contains("APPEND"), file + ": " + line + value);
                    }
                    if (line.matches("\\s*JAVA_(OPTS|TOOL_OPTIONS):.*")) {
                        assertTrue(line.contains(FLAG), file + ": " + line);
                    }
                    if (line.matches("\\s*(command|args):.*") && !line.contains("\"sleep\"")) {
                        throw new AssertionError(file + " overrides the image's entrypoint: " + line.trim());
                    }
                }
            }
        }
    }

    private static List<String> lines(String file) throws IOException {
        return Files.readAllLines(Path.of(file));
    }
}
