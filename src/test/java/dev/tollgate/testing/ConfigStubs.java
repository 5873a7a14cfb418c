package dev.tollgate.testing;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Configuration interfaces ({@code @ConfigMapping}) for plain unit tests, without booting Quarkus: the
 * named methods answer the given values, any other method call fails the test.
 */
public final class ConfigStubs {

    private ConfigStubs() {
    }

    public static <T> T of(Class<T> type, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> type.getSimpleName() + answers;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> {
                        if (!answers.containsKey(method.getName())) {
                            throw new AssertionError(type.getSimpleName() + "." + method.getName()
                                    + "() is not stubbed for this test");
                        }
                        yield answers.get(method.getName());
                    }
                }));
    }
}
