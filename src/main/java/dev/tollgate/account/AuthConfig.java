package dev.tollgate.account;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a verified JWT names the billable account. */
@ConfigMapping(prefix = "tollgate.auth")
public interface AuthConfig {

    /** The claim holding the account id: "sub" for per-user billing, an org/tenant claim otherwise. */
    @WithDefault("sub")
    String accountClaim();

    /**
     * A shared HS256 secret (Supabase-style). When set, tokens are verified with it instead of a
     * public key; {@link SharedSecretJwtConfig} turns it into smallrye-jwt's settings.
     */
    Optional<String> hs256Secret();

    /**
     * TOLLGATE_AUTH_ALLOW_ANY_ISSUER_AUDIENCE: lets production start without an issuer or audience to check,
     * for identity providers that set none (warned at start; dev.tollgate.config.ProductionSettings).
     */
    @WithDefault("false")
    boolean allowAnyIssuerAudience();

    VerifiedTokensConfig verifiedTokens();

    /** {@link VerifiedTokens}: how long and how many verified tokens are remembered. */
    interface VerifiedTokensConfig {

        /** Never longer than the token's own exp; a key rotation reaches remembered tokens after this. */
        @WithDefault("5m")
        Duration ttl();

        /** 0: every request verifies its token. */
        @WithDefault("4096")
        int maxSize();
    }
}
