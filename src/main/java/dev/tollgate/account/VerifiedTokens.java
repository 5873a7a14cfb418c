package dev.tollgate.account;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * smallrye-jwt's verification, remembered for a while per token: clients send the same bearer token with
 * every request, and checking its RS256 signature and parsing its JSON again each time was a fifth of the
 * CPU of a usage-ingestion request (docs/BENCHMARKS.md, "Usage ingestion and delivery"). Replaces
 * smallrye-jwt's default factory the way its guide describes (an alternative bean).
 * <p>
 * Only tokens that passed verification are remembered, keyed by the whole token, so a forged or altered
 * token never matches one; each is remembered until its {@code exp} or the configured time-to-live,
 * whichever comes first, and for the verification settings it was checked with. Invalid tokens are verified
 * (and refused) every time and never stored, so a flood of them cannot fill the map; at most
 * {@code max-size} valid ones are kept, the map starting afresh when full.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class VerifiedTokens extends JWTCallerPrincipalFactory {

    private record Verified(JWTCallerPrincipal principal, JWTAuthContextInfo settings, long expiresAtMillis) {
    }

    private final JWTCallerPrincipalFactory verifier = new DefaultJWTCallerPrincipalFactory();
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();
    private final AtomicLong verifications = new AtomicLong();
    private final long ttlMillis;
    private final int maxSize;

    VerifiedTokens(AuthConfig config) {
        this.ttlMillis = config.verifiedTokens().ttl().toMillis();
        this.maxSize = config.verifiedTokens().maxSize();
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo settings) throws ParseException {
        long now = System.currentTimeMillis();
        Verified known = verified.get(token);
        if (known != null && known.settings() == settings && now < known.expiresAtMillis()) {
            return known.principal();
        }
        verifications.incrementAndGet();
        JWTCallerPrincipal principal = verifier.parse(token, settings);
        remember(token, principal, settings, now);
        return principal;
    }

    private void remember(String token, JWTCallerPrincipal principal, JWTAuthContextInfo settings, long now) {
        long expiresAt = Math.min(principal.getExpirationTime() * 1000, now + ttlMillis);
        if (maxSize <= 0 || expiresAt <= now) {
            return;
        }
        if (verified.size() >= maxSize) {
            // Simpler than an LRU and as good for this: the tokens in use are verified again once.
            verified.clear();
        }
        verified.put(token, new Verified(principal, settings, expiresAt));
    }

    /** Tokens verified so far, remembered ones not counted again (for tests). */
    long verifications() {
        return verifications.get();
    }

    boolean remembers(String token) {
        return verified.containsKey(token);
    }
}
