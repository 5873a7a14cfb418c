package dev.tollgate.tools;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Mints a token for trying the API in dev mode, signed with the development key pair in
 * src/test/resources/jwt (dev mode verifies with its public half). See README "Trying the API".
 *
 * <pre>
 * ./mvnw -q test-compile exec:java@token -Dexec.args="--account acct-42 --role user"
 * </pre>
 */
public final class DevToken {

    private DevToken() {
    }

    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String role = options.getOrDefault("role", "user");
        if (!Arrays.asList("user", "service", "admin").contains(role)) {
            System.err.println("--role must be user, service or admin");
            System.exit(2);
        }
        System.setProperty("smallrye.jwt.sign.key.location", "jwt/privateKey.pem");
        String token = Jwt.issuer("https://tollgate.dev/dev").subject(options.getOrDefault("account", "acct-demo"))
                .groups(Set.of(role)).claim("email", options.getOrDefault("email", "dev@example.com"))
                .expiresIn(Long.parseLong(options.getOrDefault("hours", "12")) * 3600).sign();
        System.out.println(token);
    }
}
