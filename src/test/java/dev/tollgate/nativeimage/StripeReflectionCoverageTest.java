package dev.tollgate.nativeimage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.stripe.StripeGateway;

/**
 * stripe-java ships no native-image metadata and reflects on its classes with Gson. The registration
 * lives in {@value #CONFIG} (GraalVM's format, picked up from the classpath by native-image). This
 * test recomputes what must be registered from the compiled service and fails when a class is missing,
 * so a new use of a Stripe model class cannot reach a native build unregistered. To regenerate the
 * file after such a change:
 *
 * <pre>
 * ./mvnw -q test -Dtest=StripeReflectionCoverageTest -Dtollgate.native.write-reflection-config=true
 * </pre>
 */
class StripeReflectionCoverageTest {

    static final String CONFIG = "META-INF/native-image/dev.tollgate/tollgate/reflect-config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static StripeReflectionGraph graph;
    private static Set<String> required;

    @BeforeAll
    static void computeWhatMustBeRegistered() throws IOException {
        graph = StripeReflectionGraph.ofStripeJar();
        Set<String> roots = new TreeSet<>(
                StripeReflectionGraph.stripeTypesReferencedBy(StripeReflectionGraph.locationOf(StripeGateway.class)));
        roots.addAll(StripeReflectionGraph.STRIPE_INTERNAL_ROOTS);
        required = graph.requiredFor(roots);
        if (Boolean.getBoolean("tollgate.native.write-reflection-config")) {
            write(Path.of("src/main/resources").resolve(CONFIG), required);
        }
    }

    @Test
    void everyStripeClassTheServiceReachesIsRegistered() throws IOException {
        Set<String> registered = registered();
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(registered);
        Set<String> stale = new TreeSet<>(registered);
        stale.removeAll(required);
        if (!missing.isEmpty() || !stale.isEmpty()) {
            fail(CONFIG + " is out of date: missing " + missing + ", no longer reached " + stale
                    + ". Regenerate it: ./mvnw -q test -Dtest=StripeReflectionCoverageTest"
                    + " -Dtollgate.native.write-reflection-config=true");
        }
    }

    @Test
    void theGraphFollowsWhatGsonReaches() {
        // Referenced in Tollgate's own bytecode (StripeApi, StripeGateway).
        assertTrue(required.contains("com.stripe.net.RawRequestOptions"));
        assertTrue(required.contains("com.stripe.exception.CardException"));
        // Deserialized by stripe-java itself from every error body.
        assertTrue(required.contains("com.stripe.model.StripeError"));
        // StripeError.paymentIntent, then a nested class of PaymentIntent through a field.
        assertTrue(required.contains("com.stripe.model.PaymentIntent"));
        assertTrue(required.contains("com.stripe.model.PaymentIntent$AmountDetails"));
        // StripeError.source is the PaymentSource interface: its implementations are chosen by "object".
        assertTrue(required.contains("com.stripe.model.Card"));
        // ExpandableField<Customer>: type arguments are followed.
        assertTrue(required.contains("com.stripe.model.Customer"));
    }

    @Test
    void aNewlyUsedStripeModelIsRequired() {
        // What the service does not reach is not required, so a new use of it makes the first test fail.
        String unused = "com.stripe.model.CustomerSearchResult";
        assertFalse(required.contains(unused), unused + " is already reached; pick another model for this test");
        assertTrue(graph.requiredFor(Set.of(unused)).contains(unused));
        assertTrue(graph.requiredFor(Set.of(unused)).contains("com.stripe.model.Customer"));
    }

    private static Set<String> registered() throws IOException {
        Set<String> names = new TreeSet<>();
        try (InputStream in = StripeReflectionCoverageTest.class.getClassLoader().getResourceAsStream(CONFIG)) {
            if (in == null) {
                fail(CONFIG + " is not on the classpath");
            }
            for (JsonNode entry : JSON.readTree(in)) {
                assertTrue(entry.path("allDeclaredFields").asBoolean() && entry.path("allDeclaredConstructors")
                        .asBoolean(), "fields and constructors registered for " + entry);
                names.add(entry.path("name").asText());
            }
        }
        return names;
    }

    private static void write(Path file, Set<String> classes) throws IOException {
        // One class per line: small, and a change shows as a one-line diff.
        List<String> lines = new ArrayList<>();
        for (String name : classes) {
            ObjectNode entry = JSON.createObjectNode().put("name", name).put("allDeclaredFields", true)
                    .put("allDeclaredConstructors", true).put("unsafeAllocated", true);
            lines.add("  " + JSON.writeValueAsString(entry));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[\n" + String.join(",\n", lines) + "\n]\n");
    }
}
