package dev.tollgate.nativeimage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

import com.google.gson.annotations.JsonAdapter;
import com.stripe.model.StripeObjectInterface;

/**
 * Works out which stripe-java classes a native image must register for reflection: every
 * {@code com.stripe} type Tollgate's own bytecode refers to, the classes stripe-java (de)serializes
 * with Gson by itself on the paths Tollgate uses, and everything Gson reaches from those through
 * fields (field types and their type arguments, superclasses, {@code @JsonAdapter} classes, and the
 * implementations of interface or abstract field types, which stripe-java's type adapters pick by
 * the JSON's "object").
 */
final class StripeReflectionGraph {

    /**
     * Classes stripe-java itself reads or writes with Gson on the raw-request path that Tollgate uses
     * (LiveStripeResponseGetter, RequestTelemetry): Tollgate's bytecode never names them.
     */
    static final List<String> STRIPE_INTERNAL_ROOTS = List.of(
            "com.stripe.model.StripeError", // every API error body
            "com.stripe.model.oauth.OAuthError", // error bodies of the OAuth endpoints (same error handler)
            "com.stripe.net.RequestTelemetry$ClientTelemetryPayload", // X-Stripe-Client-Telemetry header
            "com.stripe.net.RequestTelemetry$RequestMetrics");

    private static final String STRIPE = "com.stripe.";

    private final Map<String, Set<String>> implementations;

    private StripeReflectionGraph(Map<String, Set<String>> implementations) {
        this.implementations = implementations;
    }

    /** Reads the stripe-java jar's class headers once, to find implementations of abstract types. */
    static StripeReflectionGraph ofStripeJar() {
        Map<String, Set<String>> implementations = new HashMap<>();
        try (JarFile jar = new JarFile(locationOf(StripeObjectInterface.class).toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    ClassReader reader = new ClassReader(in);
                    if ((reader.getAccess() & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE)) != 0) {
                        continue;
                    }
                    String name = reader.getClassName().replace('/', '.');
                    if (reader.getSuperName() != null) {
                        implementations.computeIfAbsent(reader.getSuperName().replace('/', '.'), k -> new TreeSet<>())
                                .add(name);
                    }
                    for (String itf : reader.getInterfaces()) {
                        implementations.computeIfAbsent(itf.replace('/', '.'), k -> new TreeSet<>()).add(name);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StripeReflectionGraph(implementations);
    }

    /** Every com.stripe type named anywhere in the classes under {@code classesDir}. */
    static Set<String> stripeTypesReferencedBy(Path classesDir) {
        Set<String> found = new TreeSet<>();
        Remapper recorder = new Remapper(Opcodes.ASM9) {
            @Override
            public String map(String internalName) {
                String name = internalName.replace('/', '.');
                if (name.startsWith(STRIPE)) {
                    found.add(name);
                }
                return internalName;
            }
        };
        try (Stream<Path> files = Files.walk(classesDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                // A writer as the sink, so that method bodies (instanceof, calls, casts) are visited too.
                new ClassReader(Files.readAllBytes(file)).accept(new ClassRemapper(new ClassWriter(0), recorder), 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /**
     * The classes to register: the roots themselves, and for those Gson (de)serializes (Stripe
     * objects and the internal roots) everything reachable through their fields.
     */
    Set<String> requiredFor(Set<String> roots) {
        Set<String> required = new TreeSet<>();
        Deque<String> gsonTypes = new ArrayDeque<>();
        for (String root : roots) {
            Class<?> type = load(root);
            required.add(root);
            if (StripeObjectInterface.class.isAssignableFrom(type) || STRIPE_INTERNAL_ROOTS.contains(root)) {
                gsonTypes.add(root);
            }
        }
        Set<String> walked = new HashSet<>();
        while (!gsonTypes.isEmpty()) {
            String name = gsonTypes.pop();
            if (!walked.add(name)) {
                continue;
            }
            required.add(name);
            for (String next : reachableFrom(load(name))) {
                if (next.startsWith(STRIPE) && !walked.contains(next)) {
                    gsonTypes.push(next);
                }
            }
        }
        return required;
    }

    private Set<String> reachableFrom(Class<?> type) {
        Set<String> next = new HashSet<>();
        if (type.getSuperclass() != null) {
            next.add(type.getSuperclass().getName());
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            next.addAll(implementations.getOrDefault(type.getName(), Set.of()));
        }
        adapterOf(type.getAnnotation(JsonAdapter.class), next);
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) || Modifier.isTransient(field.getModifiers())) {
                continue; // Gson skips both
            }
            adapterOf(field.getAnnotation(JsonAdapter.class), next);
            collect(field.getGenericType(), next);
        }
        return next;
    }

    private static void adapterOf(JsonAdapter adapter, Set<String> into) {
        if (adapter != null) {
            into.add(adapter.value().getName());
        }
    }

    private static void collect(Type type, Set<String> into) {
        if (type instanceof Class<?> c) {
            if (c.isArray()) {
                collect(c.getComponentType(), into);
            } else {
                into.add(c.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            collect(p.getRawType(), into);
            for (Type argument : p.getActualTypeArguments()) {
                collect(argument, into);
            }
        } else if (type instanceof GenericArrayType a) {
            collect(a.getGenericComponentType(), into);
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                collect(bound, into);
            }
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, StripeReflectionGraph.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Not on the classpath: " + name, e);
        }
    }

    static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
