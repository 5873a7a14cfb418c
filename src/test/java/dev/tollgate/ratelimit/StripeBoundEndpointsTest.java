package dev.tollgate.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.junit.jupiter.api.Test;

import dev.tollgate.checkout.CheckoutResource;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeGateway;

/**
 * The rate limit on Stripe-bound endpoints is applied by an annotation, so this test makes it the default:
 * every HTTP method of a resource whose dependencies (constructor parameters, followed through Tollgate's own
 * beans) reach the Stripe gateway must say whether it calls Stripe ({@link StripeBound}) or not
 * ({@link StripeBound.NoStripeCall}). A new endpoint that forgets fails here.
 */
class StripeBoundEndpointsTest {

    private static final Set<Class<?>> STRIPE = Set.of(StripeApi.class, StripeGateway.class);

    @Test
    void everyEndpointThatCanReachStripeDeclaresWhetherItDoes() throws Exception {
        List<String> undeclared = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (Class<?> resource : resources()) {
            if (!reachesStripe(resource)) {
                continue;
            }
            for (Method method : resource.getDeclaredMethods()) {
                if (!isEndpoint(method)) {
                    continue;
                }
                checked.add(resource.getSimpleName() + "." + method.getName());
                boolean declared = method.isAnnotationPresent(StripeBound.class)
                        || method.isAnnotationPresent(StripeBound.NoStripeCall.class)
                        || resource.isAnnotationPresent(StripeBound.class);
                if (!declared) {
                    undeclared.add(resource.getSimpleName() + "." + method.getName());
                }
            }
        }
        assertTrue(checked.contains("CheckoutResource.create"), "the scan finds the checkout endpoint: " + checked);
        assertTrue(checked.contains("SubscriptionResource.cancel"), "the scan follows services: " + checked);
        assertEquals(List.of(), undeclared,
                "endpoints that can reach Stripe must carry @StripeBound (rate limited) or @StripeBound.NoStripeCall");
    }

    private static boolean isEndpoint(Method method) {
        return method.isAnnotationPresent(GET.class) || method.isAnnotationPresent(POST.class)
                || method.isAnnotationPresent(PUT.class) || method.isAnnotationPresent(DELETE.class)
                || method.isAnnotationPresent(PATCH.class);
    }

    private static boolean reachesStripe(Class<?> start) {
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(start));
        Set<Class<?>> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Class<?> type = todo.pop();
            if (!seen.add(type)) {
                continue;
            }
            if (STRIPE.contains(type)) {
                return true;
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                for (Type parameter : constructor.getGenericParameterTypes()) {
                    for (Class<?> dependency : classesOf(parameter)) {
                        if (dependency.getName().startsWith("dev.tollgate.")) {
                            todo.push(dependency);
                        }
                    }
                }
            }
        }
        return false;
    }

    /** A parameter's class, and for Instance&lt;X&gt; or Provider&lt;X&gt; also X. */
    private static List<Class<?>> classesOf(Type type) {
        List<Class<?>> classes = new ArrayList<>();
        if (type instanceof Class<?> c) {
            classes.add(c);
        } else if (type instanceof ParameterizedType p) {
            classes.addAll(classesOf(p.getRawType()));
            for (Type argument : p.getActualTypeArguments()) {
                classes.addAll(classesOf(argument));
            }
        }
        return classes;
    }

    private static List<Class<?>> resources() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(CheckoutResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/tollgate"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, StripeBoundEndpointsTest.class.getClassLoader());
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    resources.add(type);
                }
            }
        }
        assertTrue(resources.size() > 5, "resource classes found under " + root);
        return resources;
    }
}
