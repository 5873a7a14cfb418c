package dev.tollgate.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The benchmark measures the service with exactly the JVM flags the container image runs it with. */
class ContainerJvmOptsTest {

    @Test
    void benchmarkUsesTheImagesJvmFlags() throws IOException {
        String javaOpts = Files.readAllLines(Path.of("src/main/docker/Dockerfile.jvm")).stream()
                .filter(line -> line.startsWith("ENV JAVA_OPTS=")).findFirst().orElseThrow()
                .replaceFirst("^ENV JAVA_OPTS=\"(.*)\"$", "$1");
        List<String> flags = Arrays.asList(javaOpts.split("\\s+"));
        assertEquals("-XX:SharedArchiveFile=/deployments/app-cds.jsa", flags.get(0),
                "the image starts from its class-data sharing archive");
        assertEquals(BenchmarkRunner.CONTAINER_JVM_OPTS, flags.subList(1, flags.size()));
    }

    @Test
    void benchmarkUsesTheImagesEnvironment() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/main/docker/Dockerfile.jvm"));
        BenchmarkRunner.CONTAINER_ENV.forEach((name, value) -> assertTrue(lines.contains("ENV " + name + "=" + value),
                "Dockerfile.jvm sets " + name + "=" + value));
    }
}
