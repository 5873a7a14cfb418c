package dev.tollgate.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The settings production refuses to run without, as a pure function of the configuration so that each
 * rule can be unit-tested (a failed Quarkus start cannot be asserted from a {@code @QuarkusTest}). Every
 * message names the environment variable to set, since that is what an operator edits.
 */
public final class ProductionSettings {

    /** HS256 keys shorter than the hash (256 bits) are brute-forceable; RFC 7518 section 3.2 forbids them. */
    static final int MIN_HS256_SECRET_BYTES = 32;
    /** smallrye-jwt's own "not set" marker, used by {@code SharedSecretJwtConfig} and the tests. */
    private static final String NONE = "NONE";

    /** What start-up found: refusals stop the service, warnings are logged. */
    public record Verdict(List<String> refusals, List<String> warnings) {
        public boolean refused() {
            return !refusals.isEmpty();
        }
    }

    private ProductionSettings() {
    }

    /** Applies every rule to the configuration seen through {@code config} (property name to value). */
    public static Verdict check(Function<String, Optional<String>> config) {
        Settings settings = new Settings(config);
        List<String> refusals = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        tokenClaims(settings, refusals, warnings);
        verificationKey(settings, refusals);
        browserOrigins(settings, refusals);
        if (settings.flag("tollgate.simulator.enabled")) {
            refusals.add("TOLLGATE_SIMULATOR_ENABLED is true: the Stripe simulator is for dev mode only and would take"
                    + " no real payment. Unset it and set STRIPE_SECRET_KEY.");
        }
        return new Verdict(List.copyOf(refusals), List.copyOf(warnings));
    }

    /** Without an issuer and an audience, a token minted by any tenant of the identity provider would do. */
    private static void tokenClaims(Settings settings, List<String> refusals, List<String> warnings) {
        boolean optedOut = settings.flag("tollgate.auth.allow-any-issuer-audience");
        if (settings.blank("mp.jwt.verify.issuer")) {
            claimMissing("MP_JWT_VERIFY_ISSUER", "the \"iss\" every token must carry", "issuer", optedOut, refusals,
                    warnings);
        }
        if (settings.blank("mp.jwt.verify.audiences")) {
            claimMissing("MP_JWT_VERIFY_AUDIENCES", "the \"aud\" values a token may carry, comma-separated", "audience",
                    optedOut, refusals, warnings);
        }
    }

    private static void claimMissing(String variable, String meaning, String claim, boolean optedOut,
            List<String> refusals, List<String> warnings) {
        if (optedOut) {
            warnings.add(variable + " is not set and TOLLGATE_AUTH_ALLOW_ANY_ISSUER_AUDIENCE=true: tokens are accepted"
                    + " whatever their " + claim + ", from anyone the verification key signs for.");
        } else {
            refusals.add(variable + " is not set: set it to " + meaning
                    + ", or set TOLLGATE_AUTH_ALLOW_ANY_ISSUER_AUDIENCE=true if the identity provider truly has none.");
        }
    }

    private static void verificationKey(Settings settings, List<String> refusals) {
        Optional<String> secret = settings.value("tollgate.auth.hs256-secret");
        if (secret.isPresent()) {
            if (secret.get().getBytes(StandardCharsets.UTF_8).length < MIN_HS256_SECRET_BYTES) {
                refusals.add("JWT_HS256_SECRET is shorter than " + MIN_HS256_SECRET_BYTES
                        + " bytes: an HS256 secret must be at least as long as the hash (256 bits).");
            }
            return;
        }
        boolean key = settings.present("mp.jwt.verify.publickey") || settings.present("mp.jwt.verify.publickey.location")
                || settings.present("smallrye.jwt.verify.key.location");
        if (!key) {
            refusals.add("No token verification key: set MP_JWT_VERIFY_PUBLICKEY_LOCATION (a PEM/JWK file or JWKS URL)"
                    + " or JWT_HS256_SECRET (a shared HS256 secret).");
        }
    }

    /** Origins are the allow-list for checkout redirects and CORS; localhost defaults must not reach production. */
    private static void browserOrigins(Settings settings, List<String> refusals) {
        if (settings.blank("tollgate.checkout.allowed-origins")) {
            refusals.add("TOLLGATE_CHECKOUT_ALLOWED_ORIGINS is not set: list the frontend's origins (e.g."
                    + " https://app.example.com), the only places checkout and the portal may send customers back to.");
        }
        if (!settings.flagOr("quarkus.http.cors.enabled", true)) {
            return; // TOLLGATE_CORS_ORIGINS=none: no browser on another origin may call
        }
        Optional<String> cors = settings.value("quarkus.http.cors.origins");
        if (cors.isEmpty()) {
            refusals.add("TOLLGATE_CORS_ORIGINS is not set and there is no TOLLGATE_CHECKOUT_ALLOWED_ORIGINS to default"
                    + " to: list the origins whose browsers may call the API, or set it to \"none\".");
        } else if (List.of(cors.get().split(",")).stream().map(String::trim).anyMatch(o -> o.equals("*"))) {
            refusals.add("TOLLGATE_CORS_ORIGINS must not be \"*\": any website could then call the API with its"
                    + " visitors' tokens. List the frontend's origins, or set it to \"none\".");
        }
    }

    /** Reads values the way the rules need them: blank and smallrye-jwt's NONE count as unset. */
    private record Settings(Function<String, Optional<String>> config) {

        Optional<String> value(String name) {
            return config.apply(name).map(String::trim).filter(v -> !v.isEmpty() && !v.equals(NONE));
        }

        boolean present(String name) {
            return value(name).isPresent();
        }

        boolean blank(String name) {
            return value(name).isEmpty();
        }

        boolean flag(String name) {
            return flagOr(name, false);
        }

        boolean flagOr(String name, boolean fallback) {
            return value(name).map(v -> v.toLowerCase(Locale.ROOT).equals("true")).orElse(fallback);
        }
    }
}
