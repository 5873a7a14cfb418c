package dev.tollgate.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a verified JWT names the billable account. */
@ConfigMapping(prefix = "tollgate.auth")
public interface AuthConfig {

    /** The claim holding the account id: "sub" for per-user billing, an org/tenant claim otherwise. */
    @WithDefault("sub")
    String accountClaim();
}
