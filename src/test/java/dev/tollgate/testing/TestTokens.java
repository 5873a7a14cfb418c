package dev.tollgate.testing;

import java.util.Set;

import dev.tollgate.account.Roles;
import io.smallrye.jwt.build.Jwt;

/** Real RS256 tokens signed with the test key (src/test/resources/jwt), verified by the service. */
public final class TestTokens {

    private TestTokens() {
    }

    public static String user(String accountId) {
        return Jwt.subject(accountId).groups(Set.of(Roles.USER)).sign();
    }

    public static String service() {
        return Jwt.subject("svc-backend").groups(Set.of(Roles.SERVICE)).sign();
    }

    public static String admin() {
        return Jwt.subject("ops-admin").groups(Set.of(Roles.ADMIN)).sign();
    }
}
