package dev.tollgate.credits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What a disputed payment does to the account's credits while the dispute is open. */
@ConfigMapping(prefix = "tollgate.disputes")
public interface DisputesConfig {

    /** Freeze the account's credits (consume answers 409) from charge.dispute.created until the dispute closes. */
    @WithDefault("false")
    boolean freezeCredits();
}
